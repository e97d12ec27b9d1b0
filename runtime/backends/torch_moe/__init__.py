"""DeepSeek MoE/MLA and dense (Llama, Qwen2) models in plain torch.

Imported only when the torch engine loads: nothing here may be imported by the app at start-up,
and nothing outside this package imports torch.
"""
