"""DeepSeek MoE/MLA and dense (Llama, Qwen2) models in plain torch, behind the Backend protocol.

Imported only when the torch engine loads (runtime.backends.create_backend("torch")): nothing
outside this package imports torch. One job per file, control flowing downward:

    backend.py    TorchMoeBackend: load(plan) / stream / count_tokens / unload
    generate.py   chunked prefill, decode loop, stop/cancel, prompt-prefix reuse across turns
    compiled.py   fixed-shape decode step for torch.compile + CUDA graphs (CUDA default)
    sampling.py   greedy, temperature, top-k, top-p, repetition penalty (pure functions)
    tokenizer.py  tokenizer.json via `tokenizers`, BOS rule, stop ids, chat template source
    detok.py      incremental detokenization, never half a UTF-8 character
    loader.py     meta-device build, one allocation, shard-by-shard reads, clear errors
    st_reader.py  safetensors reads straight into the destination tensor (no mmap)
    config.py     ModelConfig from config.json
    model.py      Transformer: blocks, static KV cache setup, forward
    mla.py        latent attention: absorbed decode over the compressed cache
    moe.py        routing (softmax/sigmoid, greedy/group-limited/noaux_tc) and experts
    layers.py     RMSNorm, SwiGLU MLP, grouped-query attention for dense models
    rope.py       rotary tables (default, linear, YaRN, Llama-3)
"""
