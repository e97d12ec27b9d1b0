<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
  <context><name /><message>
      <source>{model} does not fit: it needs about {need} but this machine has {ram} of usable RAM, and this llama-cpp-python build cannot offload to {gpu} (install a CUDA build).</source>
      <translation>{model} 放不下：它大约需要 {need}，而这台机器可用内存为 {ram}，且这个 llama-cpp-python 版本无法把模型卸载到 {gpu}（请安装 CUDA 版本）。</translation>
    </message>
    <message>
      <source>torch {dtype} on {gpu}</source>
      <translation>torch {dtype}，在 {gpu} 上</translation>
    </message>
    <message>
      <source>torch {dtype} on the CPU</source>
      <translation>torch {dtype}，在 CPU 上</translation>
    </message>
    <message>
      <source>CPU only, 1 thread</source>
      <translation>仅 CPU，1 个线程</translation>
    </message>
    <message>
      <source>CPU only, {threads} threads</source>
      <translation>仅 CPU，{threads} 个线程</translation>
    </message>
    <message>
      <source>all {layers} layers on {gpu}</source>
      <translation>全部 {layers} 层在 {gpu} 上</translation>
    </message>
    <message>
      <source>on {gpu}, experts of {moe} layers in RAM</source>
      <translation>在 {gpu} 上，{moe} 层的专家在内存中</translation>
    </message>
    <message>
      <source>{on_gpu} of {layers} layers on {gpu}, experts in RAM</source>
      <translation>{layers} 层中的 {on_gpu} 层在 {gpu} 上，专家在内存中</translation>
    </message>
    <message>
      <source>{on_gpu} of {layers} layers on {gpu}, the rest on the CPU</source>
      <translation>{layers} 层中的 {on_gpu} 层在 {gpu} 上，其余在 CPU 上</translation>
    </message>
    <message>
      <source>{size} mapped from disk (last resort)</source>
      <translation>{size} 从磁盘映射（最后手段）</translation>
    </message>
    <message>
      <source>{size} GPU</source>
      <translation>显存 {size}</translation>
    </message>
    <message>
      <source>{size} RAM</source>
      <translation>内存 {size}</translation>
    </message>
    <message>
      <source>context {n_ctx}</source>
      <translation>上下文 {n_ctx}</translation>
    </message>
    <message>
      <source>KV {kv_type}</source>
      <translation>KV {kv_type}</translation>
    </message>
    <message>
      <source>≈{speed} tok/s</source>
      <translation>≈{speed} 词元/秒</translation>
    </message>
    <message>
      <source>attention and shared experts on {gpu} (cuda:{index}); </source>
      <translation>注意力和共享专家在 {gpu}（cuda:{index}）上；</translation>
    </message>
    <message>
      <source>{gpu} (cuda:{index}) runs what fits; </source>
      <translation>{gpu}（cuda:{index}）运行放得下的部分；</translation>
    </message>
    <message>
      <source>Last resort: {model} ({file}) is larger than this machine's memory, so llama.cpp maps it from disk: {where}{resident} of its weights stay in RAM and the other {from_disk} are read from the disk as they are needed, at the {bandwidth} GB/s this disk reads, by {threads}. Expect about {speed} tokens/s; more RAM or a smaller quantization is much faster.</source>
      <translation>最后手段：{model}（{file}）比这台机器的内存大，所以 llama.cpp 从磁盘映射它：{where}{resident} 的权重留在内存中，其余 {from_disk} 在需要时从磁盘读取（这块磁盘每秒读 {bandwidth} GB），由 {threads}运行。预计每秒约 {speed} 个词元；更多内存或更小的量化会快得多。</translation>
    </message>
    <message>
      <source>{n} CPU thread</source>
      <translation>{n} 个 CPU 线程</translation>
    </message>
    <message>
      <source>{n} CPU threads</source>
      <translation>{n} 个 CPU 线程</translation>
    </message>
    <message>
      <source>Your setting: {n_gpu} of {layers} layers on {device}, experts of {n_moe} layers in RAM (the planner chose {planned_gpu} and {planned_moe}).</source>
      <translation>你的设置：{layers} 层中的 {n_gpu} 层在 {device} 上，{n_moe} 层的专家在内存中（规划器选的是 {planned_gpu} 和 {planned_moe}）。</translation>
    </message>
    <message>
      <source>This engine continues conversations only, not raw text: use the chat endpoint, or load the model with llama.cpp.</source>
      <translation>此引擎只能续写对话，不能续写原始文本：请使用聊天接口，或用 llama.cpp 加载模型。</translation>
    </message>
    <message>
      <source>The prompt is empty and this model starts with no BOS token: give it some text.</source>
      <translation>提示为空，而此模型开头没有 BOS 词元：请给它一些文本。</translation>
    </message>
    <message>
      <source>The prompt takes {n} tokens, but the context holds {n_ctx} tokens with {reserve} kept for the reply. Shorten the prompt, lower the reply length, or load the model with a longer context.</source>
      <translation>提示占用 {n} 个词元，但上下文只能容纳 {n_ctx} 个词元，其中 {reserve} 个留给回复。请缩短提示、降低回复长度，或以更长的上下文加载模型。</translation>
    </message>
    <message>
      <source>Interrupted: DeskSeek stopped while this reply was being written.</source>
      <translation>已中断：DeskSeek 在写这条回复时停止了。</translation>
    </message>
    <message>
      <source>Still being written in another window.</source>
      <translation>另一个窗口正在写这条回复。</translation>
    </message>
    <message>
      <source>Stopped.</source>
      <translation>已停止。</translation>
    </message>
    <message>
      <source>Failed: %1</source>
      <translation>失败：%1</translation>
    </message>
    <message>
      <source>Cut at the length limit.</source>
      <translation>已达长度上限，回复被截断。</translation>
    </message>
    <message>
      <source>English only</source>
      <translation>仅英语</translation>
    </message>
    <message>
      <source>The OpenAI-compatible server at {host} runs the model; nothing is loaded on this machine.</source>
      <translation>由 {host} 上兼容 OpenAI 的服务器运行模型；本机不加载任何模型。</translation>
    </message>
    <message>
      <source>the torch engine does not run '{model_type}' models (it runs DeepSeek-V2/V3, DeepSeek-MoE, Llama, Qwen2 and Qwen3); use a GGUF of it</source>
      <translation>torch 引擎不能运行“{model_type}”模型（它运行 DeepSeek-V2/V3、DeepSeek-MoE、Llama、Qwen2 和 Qwen3）；请改用它的 GGUF 版本</translation>
    </message>
    <message>
      <source>this folder is {quant}-quantized and the torch engine needs bf16/fp16 weights</source>
      <translation>这个文件夹是 {quant} 量化的，而 torch 引擎需要 bf16/fp16 权重</translation>
    </message>
    <message>
      <source> Context shortened from {wanted} to {ctx} tokens to fit.</source>
      <translation>为了放得下，上下文从 {wanted} 缩短到 {ctx} 个词元。</translation>
    </message>
    <message>
      <source> KV cache quantized to {kv} (with flash attention) to fit.</source>
      <translation>为了放得下，KV 缓存量化为 {kv}（使用 flash attention）。</translation>
    </message>
    <message>
      <source> Prompts are read {n} tokens at a time (slower) to fit.</source>
      <translation>为了放得下，提示每次读入 {n} 个词元（较慢）。</translation>
    </message>
    <message>
      <source>{n} thread</source>
      <translation>{n} 个线程</translation>
    </message>
    <message>
      <source>{n} threads</source>
      <translation>{n} 个线程</translation>
    </message>
    <message>
      <source>GPU use is turned off</source>
      <translation>已关闭 GPU</translation>
    </message>
    <message>
      <source>No CUDA GPU found</source>
      <translation>未找到 CUDA GPU</translation>
    </message>
    <message>
      <source>{gpu} found, but this llama-cpp-python build cannot offload to a GPU (install a CUDA build)</source>
      <translation>找到了 {gpu}，但这个 llama-cpp-python 版本不能把计算放到 GPU 上（请安装 CUDA 版本）</translation>
    </message>
    <message>
      <source>{gpu} has too little free memory ({free}) for any layer</source>
      <translation>{gpu} 的空闲显存（{free}）放不下任何一层</translation>
    </message>
    <message>
      <source>If the GPU cannot be used</source>
      <translation>如果无法使用 GPU</translation>
    </message>
    <message>
      <source>{why}: running on the CPU with {threads}; {model} model + {kv} KV cache at {ctx} tokens fits in {ram} free RAM.</source>
      <translation>{why}：在 CPU 上用 {threads}运行；{model} 模型 + {ctx} 词元的 {kv} KV 缓存，可放入 {ram} 空闲内存。</translation>
    </message>
    <message>
      <source>{used} of {free} free</source>
      <translation>占用 {used}，空闲 {free}</translation>
    </message>
    <message>
      <source>All {n}/{n} layers on {gpu} ({dev}): {used}, with a {kv} KV cache at {ctx} tokens.</source>
      <translation>全部 {n}/{n} 层在 {gpu}（{dev}）上：{used}，{ctx} 词元的 KV 缓存为 {kv}。</translation>
    </message>
    <message>
      <source>{model} does not fit on {gpu} whole: attention and shared experts of all {n} layers are on the GPU ({used}); the routed experts of {moe} layers stay in RAM ({ram}), run by {threads} CPU threads.</source>
      <translation>{model} 无法整个放进 {gpu}：全部 {n} 层的注意力和共享专家在 GPU 上（{used}）；{moe} 层的路由专家留在内存中（{ram}），由 {threads} 个 CPU 线程运行。</translation>
    </message>
    <message>
      <source>{model} does not fit on {gpu}: {on_gpu}/{n} layers on the GPU ({used}){experts}; the other {rest} run on the CPU with {threads} threads ({ram} of RAM).</source>
      <translation>{model} 放不进 {gpu}：{on_gpu}/{n} 层在 GPU 上（{used}）{experts}；其余 {rest} 层由 {threads} 个线程在 CPU 上运行（内存 {ram}）。</translation>
    </message>
    <message>
      <source>, routed experts in RAM</source>
      <translation>，路由专家在内存中</translation>
    </message>
    <message>
      <source>{gpu} (cuda:{index}) holds the full-precision weights: {dtype} model + KV cache at {ctx} tokens + working memory = {need} of {free} free (compute capability {cc}, so {dtype}).</source>
      <translation>{gpu}（cuda:{index}）放得下全精度权重：{dtype} 模型 + {ctx} 词元的 KV 缓存 + 工作内存 = {need}，空闲 {free}（计算能力 {cc}，因此用 {dtype}）。</translation>
    </message>
    <message>
      <source>No GPU here holds {model} in full precision</source>
      <translation>这里没有能以全精度放下 {model} 的 GPU</translation>
    </message>
    <message>
      <source>float32: this CPU has no bfloat16 arithmetic</source>
      <translation>float32：这个 CPU 没有 bfloat16 运算</translation>
    </message>
    <message>
      <source>bfloat16: this CPU computes in it natively</source>
      <translation>bfloat16：这个 CPU 原生支持它</translation>
    </message>
    <message>
      <source>bfloat16: float32 would not fit in RAM</source>
      <translation>bfloat16：float32 放不进内存</translation>
    </message>
    <message>
      <source>{why}: running the full-precision Hugging Face model in torch on the CPU ({kind}; {threads}; {need} of {ram} free RAM at {ctx} tokens). This is slow for large models: a GGUF quantization of it runs several times faster here.</source>
      <translation>{why}：用 torch 在 CPU 上运行全精度的 Hugging Face 模型（{kind}；{threads}；{ctx} 词元时占用 {need}，空闲内存 {ram}）。大模型这样很慢：它的 GGUF 量化版本在这里快好几倍。</translation>
    </message>
    <message>
      <source>No model given.</source>
      <translation>没有指定模型。</translation>
    </message>
    <message>
      <source>{model}: {refusal}.</source>
      <translation>{model}：{refusal}。</translation>
    </message>
    <message>
      <source>{model} is a full-precision Hugging Face folder: it needs {need} in bfloat16, and this machine has no CUDA GPU and {ram} of usable RAM.</source>
      <translation>{model} 是全精度的 Hugging Face 文件夹：bfloat16 需要 {need}，而这台机器没有 CUDA GPU，可用内存 {ram}。</translation>
    </message>
    <message>
      <source>{model} does not fit: it needs about {need} but this machine has {ram} of usable RAM and {gpu} of free GPU memory.</source>
      <translation>{model} 放不下：它需要约 {need}，而这台机器可用内存 {ram}，空闲显存 {gpu}。</translation>
    </message>
    <message>
      <source>{model} does not fit: it needs about {need} but this machine has {ram} of usable RAM.</source>
      <translation>{model} 放不下：它需要约 {need}，而这台机器可用内存 {ram}。</translation>
    </message>
    <message>
      <source>An {quant} GGUF (about {size}) with a {ctx}-token context would fit.</source>
      <translation>{quant} 的 GGUF（约 {size}）配 {ctx} 词元上下文可以放下。</translation>
    </message>
    <message>
      <source>A {quant} GGUF (about {size}) with a {ctx}-token context would fit.</source>
      <translation>{quant} 的 GGUF（约 {size}）配 {ctx} 词元上下文可以放下。</translation>
    </message>
    <message>
      <source>Even the smallest common quantization (IQ1_S, about {size}) would not fit; it would take {more} more RAM or GPU memory, or a smaller model.</source>
      <translation>即使最小的常见量化（IQ1_S，约 {size}）也放不下；还需要 {more} 内存或显存，或者换一个更小的模型。</translation>
    </message>
  <message>
      <source>Context: {ctx} tokens, the longest this model was trained for.</source>
      <translation>上下文：{ctx} 个词元，即此模型训练时的最大长度。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens, the longest at which replies still come at least half as fast as at {base} (each new token reads the whole KV cache).</source>
      <translation>上下文：{ctx} 个词元，这是回复速度仍不低于 {base} 时一半的最大长度（每生成一个词元都要读取整个 KV 缓存）。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens, the longest that costs short replies at most a tenth of their speed at {base}.</source>
      <translation>上下文：{ctx} 个词元，这是短回复速度比 {base} 时最多慢十分之一的最大长度。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens, the longest whose KV cache leaves half of the free GPU memory free.</source>
      <translation>上下文：{ctx} 个词元，这是 KV 缓存仍能留出一半空闲显存的最大长度。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens, the longest whose KV cache leaves half of the free RAM free.</source>
      <translation>上下文：{ctx} 个词元，这是 KV 缓存仍能留出一半空闲内存的最大长度。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens, the model's trained length (the setting asks for {wanted}).</source>
      <translation>上下文：{ctx} 个词元，即模型训练时的长度（设置要求 {wanted}）。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens, as set in the settings.</source>
      <translation>上下文：{ctx} 个词元，按设置中的值。</translation>
    </message>
    <message>
      <source>Context: {ctx} tokens; on the CPU a prompt filling half of a longer one would take over a minute to read.</source>
      <translation>上下文：{ctx} 个词元；若更长，CPU 读入占其一半的提示就要超过一分钟。</translation>
    </message>
  </context><context><name>AboutDialog</name><message>
      <source>About DeskSeek</source>
      <translation>关于 DeskSeek</translation>
    </message>
    <message>
      <source>Chinese-English dictionary</source>
      <translation>汉英词典</translation>
    </message>
    <message>
      <source>Version</source>
      <translation>版本</translation>
    </message>
    <message>
      <source>Python</source>
      <translation>Python</translation>
    </message>
    <message>
      <source>Qt</source>
      <translation>Qt</translation>
    </message>
    <message>
      <source>%1 (PySide6 %2)</source>
      <translation>%1（PySide6 %2）</translation>
    </message>
    <message>
      <source>Data folder</source>
      <translation>数据文件夹</translation>
    </message>
    <message>
      <source>Database</source>
      <translation>数据库</translation>
    </message>
    <message>
      <source>Log folder</source>
      <translation>日志文件夹</translation>
    </message>
    <message>
      <source>DeskSeek: private, offline chat with local models.</source>
      <translation>DeskSeek：用本地模型私密、离线地聊天。</translation>
    </message>
    <message>
      <source>Open log folder</source>
      <translation>打开日志文件夹</translation>
    </message>
  </context><context><name>ApiSettingsTab</name><message>
        <source>Serve the loaded model to other programs (OpenAI-compatible API)</source>
        <translation>向其他程序提供已加载的模型（兼容 OpenAI 的 API）</translation>
    </message>
    <message>
        <source>Other computers can reach the server at this address (they still need the token). Use 127.0.0.1 to keep it on this computer.</source>
        <translation>其他计算机可以通过此地址访问服务器（仍需令牌）。使用 127.0.0.1 可使其仅限本机。</translation>
    </message>
    <message>
        <source>Made when the server first starts</source>
        <translation>服务器首次启动时生成</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>None: web pages cannot call the server</source>
        <translation>无：网页不能调用服务器</translation>
    </message>
    <message>
        <source>Save API conversations in the history</source>
        <translation>在历史记录中保存 API 对话</translation>
    </message>
    <message>
        <source>Serve the loaded model</source>
        <translation>提供已加载的模型</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Listen address</source>
        <translation>监听地址</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>Copy the token</source>
        <translation>复制令牌</translation>
    </message>
    <message>
        <source>Regenerate the token</source>
        <translation>重新生成令牌</translation>
    </message>
    <message>
        <source>Allowed web origins</source>
        <translation>允许的网页来源</translation>
    </message>
    <message>
        <source>Address for clients</source>
        <translation>客户端地址</translation>
    </message>
    <message>
        <source>Copy the address</source>
        <translation>复制地址</translation>
    </message>
    <message>
        <source>Sites whose pages may call the server from a browser, e.g. http://localhost:3000, separated by spaces.</source>
        <translation>允许其网页在浏览器中调用服务器的站点，例如 http://localhost:3000，以空格分隔。</translation>
    </message>
    <message>
        <source>Clients send the token as “Authorization: Bearer TOKEN” (the api_key of OpenAI's libraries). Window turns and API requests take turns on the one model.</source>
        <translation>客户端以“Authorization: Bearer TOKEN”发送令牌（即 OpenAI 库的 api_key）。窗口中的对话与 API 请求轮流使用同一个模型。</translation>
    </message>
    <message>
        <source>The listen address must be an IP address of this computer, such as 127.0.0.1 (got “%1”).</source>
        <translation>监听地址必须是本机的 IP 地址，例如 127.0.0.1（收到的是“%1”）。</translation>
    </message>
    <message>
        <source>“%1” is not a web origin: write scheme://host[:port], like http://localhost:3000.</source>
        <translation>“%1”不是网页来源：请写成 scheme://host[:port]，例如 http://localhost:3000。</translation>
    </message>
</context><context><name>ApiSwitch</name><message>
        <source>The local API server listens on %1, so other computers can reach it (they still need the token).</source>
        <translation>本地 API 服务器正在 %1 上监听，其他计算机可以访问它（仍需令牌）。</translation>
    </message>
    <message>
        <source>The local API server did not start: %1</source>
        <translation>本地 API 服务器未能启动：%1</translation>
    </message>
    <message>
        <source>Port %1 is already in use on this computer: choose another port, or close the program that uses it.</source>
        <translation>端口 %1 已被本机占用：请选择其他端口，或关闭占用它的程序。</translation>
    </message>
    <message>
        <source>%1 is not an address of this computer: use 127.0.0.1, or one of this computer's own addresses.</source>
        <translation>%1 不是本机的地址：请使用 127.0.0.1 或本机自己的某个地址。</translation>
    </message>
    <message>
        <source>The local API server cannot listen on %1: %2</source>
        <translation>本地 API 服务器无法在 %1 上监听：%2</translation>
    </message>
</context><context><name>CatalogView</name><message>
      <source>%1 (%2 active)</source>
      <translation>%1（激活 %2）</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Parameters</source>
      <translation>参数量</translation>
    </message>
    <message>
      <source>On this computer</source>
      <translation>在本机</translation>
    </message>
    <message>
      <source>About</source>
      <translation>简介</translation>
    </message>
    <message>
      <source>See the files and how they run here</source>
      <translation>查看文件及其在本机的运行方式</translation>
    </message>
    <message>
      <source>Reading the headers of %1 to see how it runs here…</source>
      <translation>正在读取 %1 的文件头，看看它在本机如何运行…</translation>
    </message>
    <message>
      <source>Recommended: temperature %1, top-p %2.</source>
      <translation>推荐：温度 %1，top-p %2。</translation>
    </message>
    <message>
      <source>%1 (%2): %3</source>
      <translation>%1（%2）：%3</translation>
    </message>
    <message>
      <source>Does not fit, not even %1 (%2)</source>
      <translation>放不下，即使是 %1（%2）也不行</translation>
    </message>
    <message>
      <source>No GGUF files found</source>
      <translation>没有找到 GGUF 文件</translation>
    </message>
    <message>
      <source>Unknown</source>
      <translation>未知</translation>
    </message>
  </context><context><name>ChatController</name><message>
      <source>The model is still loading; your text is kept. Send it when the bar says ready.</source>
      <translation>模型仍在加载；您的文字已保留。状态栏显示就绪后再发送。</translation>
    </message>
    <message>
      <source>No model is loaded: open one with File &gt; Open model. Your text is kept.</source>
      <translation>尚未加载模型：请用“文件 &gt; 打开模型”打开一个。您的文字已保留。</translation>
    </message>
  </context><context><name>ChatView</name><message>
      <source>Show earlier messages</source>
      <translation>显示更早的消息</translation>
    </message>
  </context><context><name>Composer</name><message>
      <source>Send the message</source>
      <translation>发送消息</translation>
    </message>
    <message>
      <source>Start a new line in the message</source>
      <translation>在消息中换行</translation>
    </message>
    <message>
      <source>Ask anything. Enter sends, Shift+Enter adds a line.</source>
      <translation>有问题尽管问。Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
      <source>Send</source>
      <translation>发送</translation>
    </message>
    <message>
      <source>Stop</source>
      <translation>停止</translation>
    </message>
  </context><context><name>ContextAdvisor</name><message>
      <source>These documents need about %1 tokens of context to be read whole; your GPU holds %2 for this model (%3 now).</source>
      <translation>这些文档需要约 %1 词元的上下文才能完整读入；你的 GPU 可为此模型提供 %2（当前 %3）。</translation>
    </message>
    <message>
      <source>These documents need about %1 tokens of context to be read whole; this computer's memory holds %2 for this model (%3 now).</source>
      <translation>这些文档需要约 %1 词元的上下文才能完整读入；这台电脑的内存可为此模型提供 %2（当前 %3）。</translation>
    </message>
    <message>
      <source>These documents need about %1 tokens of context to be read whole; your GPU holds %2 for this model (%3 now), enough for more of them.</source>
      <translation>这些文档需要约 %1 词元的上下文才能完整读入；你的 GPU 可为此模型提供 %2（当前 %3），能读入更多内容。</translation>
    </message>
    <message>
      <source>These documents need about %1 tokens of context to be read whole; this computer's memory holds %2 for this model (%3 now), enough for more of them.</source>
      <translation>这些文档需要约 %1 词元的上下文才能完整读入；这台电脑的内存可为此模型提供 %2（当前 %3），能读入更多内容。</translation>
    </message>
    <message>
      <source>Reload with %1</source>
      <translation>以 %1 重新加载</translation>
    </message>
  </context><context><name>ConversationList</name><message>
      <source>New chat</source>
      <translation>新对话</translation>
    </message>
    <message>
      <source>Search conversations (Ctrl+K)</source>
      <translation>搜索对话 (Ctrl+K)</translation>
    </message>
    <message>
      <source>Search conversations</source>
      <translation>搜索对话</translation>
    </message>
    <message>
      <source>Conversations</source>
      <translation>对话列表</translation>
    </message>
    <message>
      <source>Unpin</source>
      <translation>取消置顶</translation>
    </message>
    <message>
      <source>Pin</source>
      <translation>置顶</translation>
    </message>
    <message>
      <source>Unarchive</source>
      <translation>取消归档</translation>
    </message>
    <message>
      <source>Archive</source>
      <translation>归档</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <source>Delete…</source>
      <translation>删除…</translation>
    </message>
    <message>
      <source>Show archived</source>
      <translation>显示已归档</translation>
    </message>
    <message>
      <source>Delete “%1”? You can undo this for a few seconds.</source>
      <translation>删除“%1”？几秒钟内可以撤销。</translation>
    </message>
    <message>
      <source>Delete conversation</source>
      <translation>删除对话</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
  </context><context><name>ConversationListModel</name><message>
      <source>New chat</source>
      <translation>新对话</translation>
    </message>
    <message>
      <source>Pinned</source>
      <translation>已置顶</translation>
    </message>
    <message>
      <source>Today</source>
      <translation>今天</translation>
    </message>
    <message>
      <source>Yesterday</source>
      <translation>昨天</translation>
    </message>
    <message>
      <source>Previous 7 days</source>
      <translation>过去 7 天</translation>
    </message>
    <message>
      <source>Older</source>
      <translation>更早</translation>
    </message>
    <message>
      <source>Archived</source>
      <translation>已归档</translation>
    </message>
    <message>
      <source>No matches</source>
      <translation>没有匹配的结果</translation>
    </message>
    <message>
      <source>%1, in “%2”</source>
      <translation>%1，在“%2”中</translation>
    </message>
    <message>
      <source>In documents</source>
      <translation>文档中</translation>
    </message>
  <message>
        <source>API · %1</source>
        <translation>API · %1</translation>
    </message>
    </context><context><name>CrashNotice</name><message>
      <source>DeskSeek closed unexpectedly last time. A crash report was saved: %1</source>
      <translation>DeskSeek 上次意外关闭，已保存崩溃报告：%1</translation>
    </message>
    <message>
      <source>Open report</source>
      <translation>打开报告</translation>
    </message>
    <message>
      <source>Show folder</source>
      <translation>显示文件夹</translation>
    </message>
    <message>
      <source>Dismiss</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>No program could open it; the report is %1</source>
      <translation>没有程序能打开它；报告位于 %1</translation>
    </message>
  </context><context><name>DocumentDesk</name><message>
      <source>Attach documents</source>
      <translation>附加文档</translation>
    </message>
    <message>
      <source>Documents (%1);;All files (*)</source>
      <translation>文档 (%1);;所有文件 (*)</translation>
    </message>
    <message>
      <source>%1: DeskSeek reads PDF, Word (.docx), HTML, Markdown, text and source-code files.</source>
      <translation>%1：DeskSeek 可读取 PDF、Word (.docx)、HTML、Markdown、纯文本和源代码文件。</translation>
    </message>
    <message>
      <source>That password does not open %1. Try again:</source>
      <translation>该密码无法打开 %1，请重试：</translation>
    </message>
    <message>
      <source>%1 is password-protected. Its password:</source>
      <translation>%1 受密码保护。请输入密码：</translation>
    </message>
    <message>
      <source>Password</source>
      <translation>密码</translation>
    </message>
    <message>
      <source>%1 was not attached: it opens only with its password.</source>
      <translation>未附加 %1：它只能用密码打开。</translation>
    </message>
    <message>
      <source>Attached %1 to this conversation; it was read once and is not read again.</source>
      <translation>已将 %1 附加到本对话；它只读取过一次，不会再次读取。</translation>
    </message>
  <message>
      <source>%1: DeskSeek reads PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), EPUB, HTML, Markdown, text and source-code files, and pictures of text (.png, .jpg).</source>
      <translation>%1：DeskSeek 可读取 PDF、Word (.docx)、PowerPoint (.pptx)、Excel (.xlsx)、EPUB、HTML、Markdown、纯文本和源代码文件，以及含文字的图片 (.png、.jpg)。</translation>
    </message>
    </context><context><name>DocumentIntake</name><message>
      <source>Stopped reading %1; nothing of it was attached.</source>
      <translation>已停止读取 %1，未附加其中任何内容。</translation>
    </message>
    <message>
      <source>%1 was attached without %2: the text there could not be read.</source>
      <translation>已附加 %1，但不含 %2：那里的文字无法读取。</translation>
    </message>
  </context><context><name>DocumentLibrary</name><message>
      <source>New chat</source>
      <translation>新对话</translation>
    </message>
    <message>
      <source>Enter or double-click opens this conversation</source>
      <translation>按 Enter 或双击打开此对话</translation>
    </message>
    <message>
      <source>No documents yet. Drop a file on the window, or use File &gt; Attach documents…; each file is read once and can then be attached to any conversation from here.</source>
      <translation>还没有文档。把文件拖到窗口上，或使用“文件 &gt; 附加文档…”；每个文件只读取一次，之后可以从这里附加到任何对话。</translation>
    </message>
    <message>
      <source>Removed %1 from “%2”; it stays in the library while another conversation uses it.</source>
      <translation>已从“%2”移除 %1；只要还有别的对话使用它，它就留在文档库中。</translation>
    </message>
    <message>
      <source>Removed %1 from “%2”, the last conversation using it, so it left the library.</source>
      <translation>已从“%2”移除 %1；这是最后一个使用它的对话，所以它也离开了文档库。</translation>
    </message>
    <message numerus="yes">
      <source>Removed %1 from the library and from %n conversation(s).</source>
      <translation>
        <numerusform>已从文档库和 %n 个对话中移除 %1。</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Remove %1 from the library and from the %n conversation(s) using it? Replies that quoted it keep their sources. This cannot be undone.</source>
      <translation>
        <numerusform>从文档库以及使用它的 %n 个对话中移除 %1？引用过它的回复会保留各自的出处。此操作无法撤销。</numerusform>
      </translation>
    </message>
    <message>
      <source>Remove from library</source>
      <translation>从文档库移除</translation>
    </message>
    <message>
      <source>Remove</source>
      <translation>移除</translation>
    </message>
    <message numerus="yes">
      <source>%n passage(s)</source>
      <translation>
        <numerusform>%n 段</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n page(s)</source>
      <translation>
        <numerusform>%n 页</numerusform>
      </translation>
    </message>
    <message>
      <source>only in the bin</source>
      <translation>仅在回收站中</translation>
    </message>
    <message numerus="yes">
      <source>%n conversation(s)</source>
      <translation>
        <numerusform>%n 个对话</numerusform>
      </translation>
    </message>
    <message>
      <source>Document library</source>
      <translation>文档库</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <source>Pages and passages</source>
      <translation>页数与段落</translation>
    </message>
    <message>
      <source>Added</source>
      <translation>添加时间</translation>
    </message>
    <message>
      <source>Used in</source>
      <translation>使用于</translation>
    </message>
    <message>
      <source>Documents</source>
      <translation>文档</translation>
    </message>
    <message>
      <source>&amp;Attach to this conversation</source>
      <translation>附加到本对话(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Open conversation</source>
      <translation>打开对话(&amp;O)</translation>
    </message>
    <message>
      <source>Remove from this &amp;conversation</source>
      <translation>从本对话移除(&amp;C)</translation>
    </message>
    <message>
      <source>&amp;Remove from library…</source>
      <translation>从文档库移除(&amp;R)…</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
  </context><context><name>DocumentStrip</name><message>
      <source>Reading %1…</source>
      <translation>正在读取 %1…</translation>
    </message>
    <message>
      <source>1 page</source>
      <translation>1 页</translation>
    </message>
    <message numerus="yes">
      <source>%n pages</source>
      <translation>
        <numerusform>%n 页</numerusform>
      </translation>
    </message>
    <message>
      <source>1 passage</source>
      <translation>1 段</translation>
    </message>
    <message numerus="yes">
      <source>%n passages</source>
      <translation>
        <numerusform>%n 段</numerusform>
      </translation>
    </message>
    <message>
      <source>Replies in this conversation quote this document and cite it as [1], [2]…</source>
      <translation>本对话中的回复会引用此文档，并以 [1]、[2]… 标注出处</translation>
    </message>
    <message>
      <source>Remove %1 from this conversation</source>
      <translation>从本对话中移除 %1</translation>
    </message>
  <message>
      <source>Stop reading; nothing of these files is attached</source>
      <translation>停止读取；这些文件的内容都不会被附加</translation>
    </message>
    <message>
      <source>Reading %1: page %2 of %3 (OCR)…</source>
      <translation>正在读取 %1：第 %2 页，共 %3 页（文字识别）…</translation>
    </message>
    <message>
      <source>Reading %1: page %2 of %3…</source>
      <translation>正在读取 %1：第 %2 页，共 %3 页…</translation>
    </message>
    <message>
      <source>Then %1.</source>
      <translation>之后读取 %1。</translation>
    </message>
    </context><context><name>DownloadRow</name><message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>Resume</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Pause</source>
      <translation>暂停</translation>
    </message>
    <message>
      <source>Downloaded and verified: %1</source>
      <translation>已下载并校验：%1</translation>
    </message>
    <message>
      <source>The download failed.</source>
      <translation>下载失败。</translation>
    </message>
    <message>
      <source>Cancelled; the partial file was deleted.</source>
      <translation>已取消；未完成的文件已删除。</translation>
    </message>
    <message>
      <source>Waiting for the download before it.</source>
      <translation>等待前一个下载完成。</translation>
    </message>
    <message>
      <source>Starting…</source>
      <translation>正在开始…</translation>
    </message>
    <message>
      <source>Stopped before it finished; Resume continues from where it stopped.</source>
      <translation>下载未完成就停止了；点“继续”会从停下的地方接着下载。</translation>
    </message>
    <message>
      <source>%1 of %2</source>
      <translation>%1 / %2</translation>
    </message>
    <message>
      <source>paused; it continues from here, also after a restart.</source>
      <translation>已暂停；之后会从这里继续，重启后也是如此。</translation>
    </message>
    <message>
      <source>%1/s</source>
      <translation>%1/秒</translation>
    </message>
    <message>
      <source>%1 left</source>
      <translation>剩余 %1</translation>
    </message>
  </context><context><name>DownloadsView</name><message>
      <source>Downloads</source>
      <translation>下载</translation>
    </message>
  </context><context><name>HelpMenu</name><message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>&amp;Keyboard shortcuts</source>
      <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
      <source>&amp;About DeskSeek</source>
      <translation>关于 DeskSeek(&amp;A)</translation>
    </message>
    <message>
      <source>Conversation list › %1</source>
      <translation>对话列表 › %1</translation>
    </message>
  </context><context><name>HistoryFiles</name><message>
      <source>Open a conversation first, then export it.</source>
      <translation>请先打开一个对话，再导出。</translation>
    </message>
    <message>
      <source>Export conversation</source>
      <translation>导出对话</translation>
    </message>
    <message>
      <source>Markdown (*.md);;DeskSeek JSON (*.json)</source>
      <translation>Markdown (*.md);;DeskSeek JSON (*.json)</translation>
    </message>
    <message>
      <source>Export all conversations</source>
      <translation>导出全部对话</translation>
    </message>
    <message>
      <source>DeskSeek JSON (*.json)</source>
      <translation>DeskSeek JSON (*.json)</translation>
    </message>
    <message>
      <source>Import conversations</source>
      <translation>导入对话</translation>
    </message>
    <message>
      <source>DeskSeek JSON or ChatGPT export (*.json *.zip);;All files (*)</source>
      <translation>DeskSeek JSON 或 ChatGPT 导出文件 (*.json *.zip);;所有文件 (*)</translation>
    </message>
    <message>
      <source>%1 (%2); %3.</source>
      <translation>%1（%2）；%3。</translation>
    </message>
    <message>
      <source>%1 (%2).</source>
      <translation>%1（%2）。</translation>
    </message>
    <message numerus="yes">
      <source>Imported %n conversation(s)</source>
      <translation>
        <numerusform>导入了 %n 个对话</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n message(s)</source>
      <translation>
        <numerusform>%n 条消息</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n already here</source>
      <translation>
        <numerusform>%n 个已经存在</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>Exported %n conversation(s) to %1.</source>
      <translation>
        <numerusform>已将 %n 个对话导出到 %1。</numerusform>
      </translation>
    </message>
  </context><context><name>HubView</name><message>
      <source>Search the Hub for GGUF models, e.g. DeepSeek R1</source>
      <translation>在 Hub 上搜索 GGUF 模型，例如 DeepSeek R1</translation>
    </message>
    <message>
      <source>Search</source>
      <translation>搜索</translation>
    </message>
    <message>
      <source>Hub address…</source>
      <translation>Hub 地址…</translation>
    </message>
    <message>
      <source>The Hugging Face Hub, or a mirror such as https://hf-mirror.com</source>
      <translation>Hugging Face Hub，或镜像站，例如 https://hf-mirror.com</translation>
    </message>
    <message>
      <source>Token…</source>
      <translation>令牌…</translation>
    </message>
    <message>
      <source>An access token for gated repositories, kept in the OS keyring</source>
      <translation>用于受限仓库的访问令牌，保存在系统钥匙串中</translation>
    </message>
    <message>
      <source>Model file</source>
      <translation>模型文件</translation>
    </message>
    <message>
      <source>Quantization</source>
      <translation>量化</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <source>On this computer</source>
      <translation>在本机</translation>
    </message>
    <message>
      <source>Download</source>
      <translation>下载</translation>
    </message>
    <message>
      <source>Hub address</source>
      <translation>Hub 地址</translation>
    </message>
    <message>
      <source>Address of the Hugging Face Hub or a mirror (empty: HF_ENDPOINT, else huggingface.co):</source>
      <translation>Hugging Face Hub 或镜像站的地址（留空：使用 HF_ENDPOINT，否则 huggingface.co）：</translation>
    </message>
    <message>
      <source>Models now come from %1.</source>
      <translation>现在从 %1 获取模型。</translation>
    </message>
    <message>
      <source>Access token</source>
      <translation>访问令牌</translation>
    </message>
    <message>
      <source>A Hugging Face access token for gated repositories (kept in the OS keyring, never in DeskSeek's files):</source>
      <translation>用于受限仓库的 Hugging Face 访问令牌（保存在系统钥匙串中，绝不写入 DeskSeek 的文件）：</translation>
    </message>
    <message>
      <source>Searching %1…</source>
      <translation>正在搜索 %1…</translation>
    </message>
    <message>
      <source>Reading the headers of %1's models to plan them for this computer…</source>
      <translation>正在读取 %1 中模型的文件头，为本机规划运行方式…</translation>
    </message>
    <message>
      <source>%1 repositories found.</source>
      <translation>找到 %1 个仓库。</translation>
    </message>
    <message>
      <source>No GGUF repositories match.</source>
      <translation>没有匹配的 GGUF 仓库。</translation>
    </message>
    <message>
      <source>The token is kept in the OS keyring; gated repositories you may read now open.</source>
      <translation>令牌已保存在系统钥匙串中；你有权访问的受限仓库现在可以打开了。</translation>
    </message>
    <message>
      <source>Added to the downloads below.</source>
      <translation>已加入下方的下载列表。</translation>
    </message>
    <message>
      <source>%1 has no GGUF model files.</source>
      <translation>%1 中没有 GGUF 模型文件。</translation>
    </message>
    <message>
      <source> (%1 parts)</source>
      <translation>（共 %1 个分片）</translation>
    </message>
    <message>
      <source>Does not fit</source>
      <translation>放不下</translation>
    </message>
    <message>
      <source>Cannot be read</source>
      <translation>无法读取</translation>
    </message>
    <message>
      <source>Recommended: %1</source>
      <translation>推荐：%1</translation>
    </message>
    <message>
      <source>%1 models in %2; the recommended one is selected.</source>
      <translation>%2 中有 %1 个模型；已选中推荐的那个。</translation>
    </message>
    <message>
      <source>%1 models in %2; none fits this computer (hover a row for why).</source>
      <translation>%2 中有 %1 个模型；没有一个适合本机（鼠标悬停查看原因）。</translation>
    </message>
  </context><context><name>LanguageNotice</name><message>
      <source>%1 understands English only: its replies to Chinese, Japanese or Korean will be gibberish. Your message was sent. For Chinese, open a bilingual model with File &gt; Open model… (a Qwen2.5 or DeepSeek-R1-Distill-Qwen GGUF, for example).</source>
      <translation>%1 只懂英语：它对中文、日文或韩文的回复会是乱码。你的消息已经发送。要用中文，请通过“文件 &gt; 打开模型…”打开一个双语模型（例如 Qwen2.5 或 DeepSeek-R1-Distill-Qwen 的 GGUF）。</translation>
    </message>
  </context><context><name>LibraryView</name><message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Size</source>
      <translation>大小</translation>
    </message>
    <message>
      <source>Quantization</source>
      <translation>量化</translation>
    </message>
    <message>
      <source>Architecture</source>
      <translation>架构</translation>
    </message>
    <message>
      <source>From</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>On this computer</source>
      <translation>在本机</translation>
    </message>
    <message>
      <source>Open</source>
      <translation>打开</translation>
    </message>
    <message>
      <source>Show in folder</source>
      <translation>在文件夹中显示</translation>
    </message>
    <message>
      <source>Settings…</source>
      <translation>设置…</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Add folder…</source>
      <translation>添加文件夹…</translation>
    </message>
    <message>
      <source>Look again</source>
      <translation>重新查找</translation>
    </message>
    <message>
      <source>Looking for models on this computer…</source>
      <translation>正在查找本机上的模型…</translation>
    </message>
    <message>
      <source>%1 models on this computer; %2 run here.</source>
      <translation>本机有 %1 个模型；其中 %2 个可以运行。</translation>
    </message>
    <message>
      <source>No models found yet. Download one, or add a folder that holds GGUF files.</source>
      <translation>还没有找到模型。下载一个，或添加存放 GGUF 文件的文件夹。</translation>
    </message>
    <message>
      <source>DeskSeek</source>
      <translation>DeskSeek</translation>
    </message>
    <message>
      <source>Your folder</source>
      <translation>你的文件夹</translation>
    </message>
    <message>
      <source>Cannot be read</source>
      <translation>无法读取</translation>
    </message>
    <message>
      <source>Does not fit</source>
      <translation>放不下</translation>
    </message>
    <message>
      <source>Only models DeskSeek downloaded can be deleted here.</source>
      <translation>这里只能删除 DeskSeek 下载的模型。</translation>
    </message>
    <message>
      <source>DeskSeek deletes only the models it downloaded itself; %1 belongs to %2. Remove it there if you no longer need it.</source>
      <translation>DeskSeek 只删除它自己下载的模型；%1 属于 %2。如果不再需要，请在那里删除。</translation>
    </message>
    <message>
      <source>Delete model</source>
      <translation>删除模型</translation>
    </message>
    <message>
      <source>Delete %1 (%2) from this computer?</source>
      <translation>要从本机删除 %1（%2）吗？</translation>
    </message>
    <message>
      <source>Deleted %1.</source>
      <translation>已删除 %1。</translation>
    </message>
    <message>
      <source>Add a folder of models</source>
      <translation>添加模型文件夹</translation>
    </message>
  </context><context><name>MachineChoice</name><message>
      <source>This computer</source>
      <translation>本机</translation>
    </message>
    <message>
      <source>Another machine…</source>
      <translation>另一台机器…</translation>
    </message>
    <message>
      <source>Plan for:</source>
      <translation>规划对象：</translation>
    </message>
    <message>
      <source>Planned for: %1</source>
      <translation>已按此机器规划：%1</translation>
    </message>
    <message>
      <source>no GPU</source>
      <translation>无 GPU</translation>
    </message>
    <message>
      <source>%1 RAM</source>
      <translation>%1 内存</translation>
    </message>
    <message>
      <source>%1 cores</source>
      <translation>%1 个核心</translation>
    </message>
    <message>
      <source>RAM at %1 GB/s</source>
      <translation>内存带宽 %1 GB/s</translation>
    </message>
  </context><context><name>MachineDialog</name><message>
      <source>Plan for another machine</source>
      <translation>为另一台机器规划</translation>
    </message>
    <message>
      <source>e.g. RTX 4090 (empty: no GPU)</source>
      <translation>例如 RTX 4090（留空：无 GPU）</translation>
    </message>
    <message>
      <source>e.g. 24GiB</source>
      <translation>例如 24GiB</translation>
    </message>
    <message>
      <source>e.g. 64GiB (empty: this computer's)</source>
      <translation>例如 64GiB（留空：本机的内存）</translation>
    </message>
    <message>
      <source>as this computer</source>
      <translation>与本机相同</translation>
    </message>
    <message>
      <source>e.g. 400GB/s (optional: sets the speed of experts in RAM)</source>
      <translation>例如 400GB/s（可选：决定内存中专家层的速度）</translation>
    </message>
    <message>
      <source>GPU</source>
      <translation>GPU</translation>
    </message>
    <message>
      <source>GPU memory</source>
      <translation>GPU 显存</translation>
    </message>
    <message>
      <source>RAM</source>
      <translation>内存</translation>
    </message>
    <message>
      <source>Free CPU cores</source>
      <translation>空闲 CPU 核心</translation>
    </message>
    <message>
      <source>RAM bandwidth</source>
      <translation>内存带宽</translation>
    </message>
    <message>
      <source>%1: %2</source>
      <translation>%1：%2</translation>
    </message>
  </context><context><name>MainWindow</name><message>
      <source>Stop the reply (its text so far is kept)</source>
      <translation>停止回复（保留已写出的文字）</translation>
    </message>
    <message>
      <source>Search all conversations</source>
      <translation>搜索所有对话</translation>
    </message>
    <message>
      <source>Copy the last reply</source>
      <translation>复制最后一条回复</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>&amp;New chat</source>
      <translation>新对话(&amp;N)</translation>
    </message>
    <message>
      <source>&amp;Open model…</source>
      <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
      <source>Open model &amp;folder…</source>
      <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
      <source>&amp;Connect to a server…</source>
      <translation>连接服务器(&amp;C)…</translation>
    </message>
    <message>
      <source>Attach &amp;documents…</source>
      <translation>附加文档(&amp;D)…</translation>
    </message>
    <message>
      <source>&amp;Export conversation…</source>
      <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
      <source>Export &amp;all conversations…</source>
      <translation>导出全部对话(&amp;A)…</translation>
    </message>
    <message>
      <source>&amp;Import conversations…</source>
      <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
      <source>&amp;Settings…</source>
      <translation>设置(&amp;S)…</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>Open a GGUF model</source>
      <translation>打开 GGUF 模型</translation>
    </message>
    <message>
      <source>GGUF models (*.gguf);;All files (*)</source>
      <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Open a Hugging Face model folder</source>
      <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
      <source>Connect to a server</source>
      <translation>连接服务器</translation>
    </message>
    <message>
      <source>Address of an OpenAI-compatible server (add #model to pick one of its models):</source>
      <translation>OpenAI 兼容服务器的地址（可加 #模型名 选择其中一个模型）：</translation>
    </message>
    <message>
      <source>A server address starts with http:// or https://.</source>
      <translation>服务器地址须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
      <source>Open a model first; its settings are kept with it.</source>
      <translation>请先打开一个模型；它的设置与它一起保存。</translation>
    </message>
    <message>
      <source>Still reading %1; your text is kept. Send it when the document is listed above the box.</source>
      <translation>仍在读取 %1；你的文字已保留。等文档出现在输入框上方后再发送。</translation>
    </message>
    <message>
      <source>Document &amp;library…</source>
      <translation>文档库(&amp;L)…</translation>
    </message>
  </context><context><name>MessageActions</name><message>
      <source>You</source>
      <translation>你</translation>
    </message>
    <message>
      <source>DeskSeek</source>
      <translation>DeskSeek</translation>
    </message>
    <message>
      <source>System</source>
      <translation>系统</translation>
    </message>
    <message>
      <source>Previous version</source>
      <translation>上一个版本</translation>
    </message>
    <message>
      <source>Next version</source>
      <translation>下一个版本</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <source>Copy this message</source>
      <translation>复制这条消息</translation>
    </message>
    <message>
      <source>Edit</source>
      <translation>编辑</translation>
    </message>
    <message>
      <source>Edit and resend (keeps the old version)</source>
      <translation>编辑并重新发送（保留旧版本）</translation>
    </message>
    <message>
      <source>Continue</source>
      <translation>继续</translation>
    </message>
    <message>
      <source>Continue the reply where it was cut</source>
      <translation>从中断处继续回复</translation>
    </message>
    <message>
      <source>Regenerate</source>
      <translation>重新生成</translation>
    </message>
    <message>
      <source>Write a new version of this reply</source>
      <translation>为这条回复生成新版本</translation>
    </message>
    <message>
      <source>Delete</source>
      <translation>删除</translation>
    </message>
    <message>
      <source>Delete this message and what followed it</source>
      <translation>删除这条消息及其后的内容</translation>
    </message>
    <message>
      <source>Copied</source>
      <translation>已复制</translation>
    </message>
  </context><context><name>MessageView</name><message numerus="yes">
      <source>Reasoning · %n characters</source>
      <translation>
        <numerusform>推理过程 · %n 个字符</numerusform>
      </translation>
    </message>
    <message>
      <source>Sources: %1</source>
      <translation>出处：%1</translation>
    </message>
    <message>
      <source>documents given whole</source>
      <translation>文档全文</translation>
    </message>
    <message>
      <source>passages by words</source>
      <translation>按词语选的段落</translation>
    </message>
    <message>
      <source>passages by words + meaning</source>
      <translation>按词语与语义选的段落</translation>
    </message>
    <message>
      <source>passages by meaning</source>
      <translation>按语义选的段落</translation>
    </message>
    <message>
      <source>the documents' beginning</source>
      <translation>文档的开头</translation>
    </message>
    <message>
      <source>Edit message</source>
      <translation>编辑消息</translation>
    </message>
    <message>
      <source>Save and send</source>
      <translation>保存并发送</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Copy code</source>
      <translation>复制代码</translation>
    </message>
  </context><context><name>ModelPanel</name><message>
      <source>%1 tok/s</source>
      <translation>%1 词元/秒</translation>
    </message>
    <message>
      <source>first token %1 s</source>
      <translation>首个词元 %1 秒</translation>
    </message>
    <message>
      <source>context %1 / %2 tokens</source>
      <translation>上下文 %1 / %2 词元</translation>
    </message>
    <message numerus="yes">
      <source>%n older message(s) left out of the prompt to fit the context</source>
      <translation>
        <numerusform>为适应上下文长度，%n 条较早的消息未放入提示</numerusform>
      </translation>
    </message>
  <message>
        <source>API on %1</source>
        <translation>API 运行于 %1</translation>
    </message>
    <message>
        <source>(reachable from other computers)</source>
        <translation>（其他计算机可访问）</translation>
    </message>
    </context><context><name>ModelSettingsDialog</name><message>
      <source>Settings for %1</source>
      <translation>%1 的设置</translation>
    </message>
    <message>
      <source>General setting</source>
      <translation>使用常规设置</translation>
    </message>
    <message>
      <source>Context length (tokens)</source>
      <translation>上下文长度（词元）</translation>
    </message>
    <message>
      <source>Planner's choice</source>
      <translation>由规划器决定</translation>
    </message>
    <message>
      <source>Layers on the GPU</source>
      <translation>放在 GPU 上的层数</translation>
    </message>
    <message>
      <source>Layers with experts in RAM</source>
      <translation>专家放在内存中的层数</translation>
    </message>
    <message>
      <source>The planner's split is shown here once the Models page has looked at this model.</source>
      <translation>模型页面查看过此模型后，这里会显示规划器的分配方案。</translation>
    </message>
    <message>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <source>Top-p</source>
      <translation>Top-p</translation>
    </message>
    <message>
      <source>Off</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Top-k</source>
      <translation>Top-k</translation>
    </message>
    <message>
      <source>Repeat penalty</source>
      <translation>重复惩罚</translation>
    </message>
    <message>
      <source>New each reply</source>
      <translation>每次回复都换新的</translation>
    </message>
    <message>
      <source>Seed</source>
      <translation>随机种子</translation>
    </message>
    <message>
      <source>Send the system prompt as a system message</source>
      <translation>以系统消息发送系统提示词</translation>
    </message>
    <message>
      <source>When off, the system prompt leads your first message instead, as DeepSeek-R1's model card asks.</source>
      <translation>关闭时，系统提示词会放在你第一条消息的开头，这是 DeepSeek-R1 模型卡的要求。</translation>
    </message>
    <message>
      <source>Defaults: %1</source>
      <translation>默认值：%1</translation>
    </message>
    <message>
      <source>Defaults: your general settings (this model is not in the catalog).</source>
      <translation>默认值：你的常规设置（此模型不在目录中）。</translation>
    </message>
    <message>
      <source>The planner found no way to run it here; your numbers are tried as given.</source>
      <translation>规划器找不到在本机运行它的方式；将按你填写的数值尝试。</translation>
    </message>
    <message>
      <source>The planner runs it on %1; the GPU numbers apply only on a GPU.</source>
      <translation>规划器在 %1 上运行它；GPU 相关数值只在 GPU 上生效。</translation>
    </message>
    <message>
      <source>The planner chose %1 layers on the GPU and experts of %2 layers in RAM.</source>
      <translation>规划器选择把 %1 层放在 GPU 上，%2 层的专家放在内存中。</translation>
    </message>
  </context><context><name>ModelSlot</name><message>
      <source>Loading %1…</source>
      <translation>正在加载 %1…</translation>
    </message>
    <message>
      <source>%1 — still using %2.</source>
      <translation>%1 —— 仍在使用 %2。</translation>
    </message>
  </context><context><name>ModelsMenu</name><message>
      <source>&amp;Models</source>
      <translation>模型(&amp;M)</translation>
    </message>
    <message>
      <source>&amp;Browse and download models…</source>
      <translation>浏览和下载模型(&amp;B)…</translation>
    </message>
    <message>
      <source>&amp;Settings for this model…</source>
      <translation>此模型的设置(&amp;S)…</translation>
    </message>
    <message>
      <source>Embedded model: SmolLM2-135M (English only)</source>
      <translation>内置模型：SmolLM2-135M（仅英语）</translation>
    </message>
    <message>
      <source>Recent</source>
      <translation>最近使用</translation>
    </message>
    <message>
      <source>%1 (missing)</source>
      <translation>%1（已不存在）</translation>
    </message>
    <message>
      <source>No recent models yet</source>
      <translation>还没有最近使用的模型</translation>
    </message>
    <message>
      <source>Forget missing models</source>
      <translation>移除已不存在的模型</translation>
    </message>
    <message>
      <source>Clear recent models</source>
      <translation>清空最近使用的模型</translation>
    </message>
    <message>
      <source>Open model file…</source>
      <translation>打开模型文件…</translation>
    </message>
    <message>
      <source>Open model folder…</source>
      <translation>打开模型文件夹…</translation>
    </message>
    <message>
      <source>Connect to a server…</source>
      <translation>连接到服务器…</translation>
    </message>
  </context><context><name>ModelsPage</name><message>
      <source>Models</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Back to the chat</source>
      <translation>返回对话</translation>
    </message>
    <message>
      <source>DeepSeek models</source>
      <translation>DeepSeek 模型</translation>
    </message>
    <message>
      <source>Search the Hub</source>
      <translation>搜索 Hub</translation>
    </message>
    <message>
      <source>On this computer</source>
      <translation>本机上的模型</translation>
    </message>
  </context><context><name>NoticeBar</name><message>
      <source>Close this message</source>
      <translation>关闭这条提示</translation>
    </message>
  </context><context><name>SettingsDialog</name><message>
      <source>Settings</source>
      <translation>设置</translation>
    </message>
    <message>
      <source>Instructions sent before every new conversation (optional)</source>
      <translation>每个新对话开始前发送的指令（可选）</translation>
    </message>
    <message>
      <source>Save as preset…</source>
      <translation>另存为预设…</translation>
    </message>
    <message>
      <source>Model default</source>
      <translation>模型默认值</translation>
    </message>
    <message>
      <source>Automatic</source>
      <translation>自动</translation>
    </message>
    <message>
      <source>Follow the system</source>
      <translation>跟随系统</translation>
    </message>
    <message>
      <source>Light</source>
      <translation>浅色</translation>
    </message>
    <message>
      <source>Dark</source>
      <translation>深色</translation>
    </message>
    <message>
      <source>The model bar's explanations of how a model runs stay in English.</source>
      <translation>模型状态栏中关于模型运行方式的说明仍为英文。</translation>
    </message>
    <message>
      <source>Preset</source>
      <translation>预设</translation>
    </message>
    <message>
      <source>System prompt</source>
      <translation>系统提示词</translation>
    </message>
    <message>
      <source>Save as preset</source>
      <translation>另存为预设</translation>
    </message>
    <message>
      <source>Temperature</source>
      <translation>温度</translation>
    </message>
    <message>
      <source>Top-p</source>
      <translation>Top-p</translation>
    </message>
    <message>
      <source>Maximum reply tokens</source>
      <translation>回复最大 token 数</translation>
    </message>
    <message>
      <source>Context length</source>
      <translation>上下文长度</translation>
    </message>
    <message>
      <source>CPU threads</source>
      <translation>CPU 线程数</translation>
    </message>
    <message>
      <source>Theme</source>
      <translation>主题</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>语言</translation>
    </message>
    <message>
      <source>Font size</source>
      <translation>字号</translation>
    </message>
    <message>
      <source>Context length (tokens)</source>
      <translation>上下文长度（token）</translation>
    </message>
    <message>
      <source>These take effect the next time a model is loaded.</source>
      <translation>下次加载模型时生效。</translation>
    </message>
    <message>
      <source>Chat</source>
      <translation>对话</translation>
    </message>
    <message>
      <source>Model</source>
      <translation>模型</translation>
    </message>
    <message>
      <source>Appearance</source>
      <translation>外观</translation>
    </message>
    <message>
      <source>(custom)</source>
      <translation>（自定义）</translation>
    </message>
    <message>
      <source>Preset name:</source>
      <translation>预设名称：</translation>
    </message>
  <message>
        <source>Local API server</source>
        <translation>本地 API 服务器</translation>
    </message>
    </context><context><name>ShortcutsDialog</name><message>
      <source>Keyboard shortcuts</source>
      <translation>键盘快捷键</translation>
    </message>
    <message>
      <source>Keys</source>
      <translation>按键</translation>
    </message>
    <message>
      <source>Action</source>
      <translation>操作</translation>
    </message>
  </context><context><name>SourcePopup</name><message>
      <source>[%1] of %2 · %3</source>
      <translation>第 [%1] 条，共 %2 条 · %3</translation>
    </message>
    <message>
      <source>Source [%1]</source>
      <translation>出处 [%1]</translation>
    </message>
    <message>
      <source>‹ Previous</source>
      <translation>‹ 上一条</translation>
    </message>
    <message>
      <source>Next ›</source>
      <translation>下一条 ›</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Passage</source>
      <translation>段落</translation>
    </message>
  </context><context><name>Startup</name><message>
      <source>No model yet: choose a GGUF file with File &gt; Open model (Ctrl+O), or a Hugging Face folder with File &gt; Open model folder (Ctrl+Shift+O).</source>
      <translation>还没有模型：用“文件 &gt; 打开模型”（Ctrl+O）选择一个 GGUF 文件，或用“文件 &gt; 打开模型文件夹”（Ctrl+Shift+O）选择一个 Hugging Face 文件夹。</translation>
    </message>
    <message>
      <source>The model you used last, %1, is gone; using the embedded default.</source>
      <translation>你上次用的模型 %1 已不在；改用内置的默认模型。</translation>
    </message>
  </context><context><name>TurnStatus</name><message>
      <source>Failed: %1</source>
      <translation>失败：%1</translation>
    </message>
    <message>
      <source>Stopped</source>
      <translation>已停止</translation>
    </message>
    <message>
      <source>Cut at the length limit</source>
      <translation>已达长度上限</translation>
    </message>
    <message numerus="yes">
      <source>%n token(s), %1 tok/s, first token %2 s</source>
      <translation>
        <numerusform>%n 个词元，%1 词元/秒，首个词元 %2 秒</numerusform>
      </translation>
    </message>
    <message numerus="yes">
      <source>%n older message(s) left out to fit the context</source>
      <translation>
        <numerusform>为适应上下文，省略了 %n 条较早的消息</numerusform>
      </translation>
    </message>
  </context><context><name>UndoBar</name><message>
      <source>Deleted “%1”</source>
      <translation>已删除“%1”</translation>
    </message>
    <message>
      <source>New chat</source>
      <translation>新对话</translation>
    </message>
    <message>
      <source>Undo</source>
      <translation>撤销</translation>
    </message>
    <message>
      <source>Undo delete</source>
      <translation>撤销删除</translation>
    </message>
  </context></TS>