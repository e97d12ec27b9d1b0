<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name></name>
    <message>
        <location filename="../../app/ui/chat_view.py" line="24"/>
        <source>Interrupted: DeskSeek stopped while this reply was being written.</source>
        <translation>已中断：DeskSeek 在写这条回复时停止了。</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_view.py" line="26"/>
        <source>Still being written in another window.</source>
        <translation>另一个窗口正在写这条回复。</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_view.py" line="28"/>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_view.py" line="30"/>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/chat_view.py" line="32"/>
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
        <source>the torch engine does not run &apos;{model_type}&apos; models (it runs DeepSeek-V2/V3, DeepSeek-MoE, Llama, Qwen2 and Qwen3); use a GGUF of it</source>
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
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About DeskSeek</source>
        <translation>关于 DeskSeek</translation>
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
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../../app/ui/controller.py" line="214"/>
        <source>The model is still loading; your text is kept. Send it when the bar says ready.</source>
        <translation>模型仍在加载；您的文字已保留。状态栏显示就绪后再发送。</translation>
    </message>
    <message>
        <location filename="../../app/ui/controller.py" line="217"/>
        <source>No model is loaded: open one with File &gt; Open model. Your text is kept.</source>
        <translation>尚未加载模型：请用“文件 &gt; 打开模型”打开一个。您的文字已保留。</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../../app/ui/chat_view.py" line="51"/>
        <location filename="../../app/ui/chat_view.py" line="114"/>
        <source>Show earlier messages</source>
        <translation>显示更早的消息</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../app/ui/composer.py" line="46"/>
        <source>Ask anything. Enter sends, Shift+Enter adds a line.</source>
        <translation>有问题尽管问。Enter 发送，Shift+Enter 换行。</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="47"/>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/composer.py" line="48"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send the message</source>
        <translation>发送消息</translation>
    </message>
    <message>
        <source>Start a new line in the message</source>
        <translation>在消息中换行</translation>
    </message>
</context>
<context>
    <name>ConversationList</name>
    <message>
        <location filename="../../app/ui/conversation_list.py" line="156"/>
        <location filename="../../app/ui/conversation_list.py" line="171"/>
        <location filename="../../app/ui/conversation_list.py" line="172"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/conversation_list.py" line="173"/>
        <source>Search conversations (Ctrl+K)</source>
        <translation>搜索对话 (Ctrl+K)</translation>
    </message>
    <message>
        <location filename="../../app/ui/conversation_list.py" line="174"/>
        <source>Search conversations</source>
        <translation>搜索对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/conversation_list.py" line="175"/>
        <source>Conversations</source>
        <translation>对话列表</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="41"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="42"/>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="37"/>
        <source>Unpin</source>
        <translation>取消置顶</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="38"/>
        <source>Pin</source>
        <translation>置顶</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="39"/>
        <source>Unarchive</source>
        <translation>取消归档</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="40"/>
        <source>Archive</source>
        <translation>归档</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="45"/>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="48"/>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="90"/>
        <source>Delete conversation</source>
        <translation>删除对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="88"/>
        <source>Delete “%1”? You can undo this for a few seconds.</source>
        <translation>删除“%1”？几秒钟内可以撤销。</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_menu.py" line="94"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>ConversationListModel</name>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="67"/>
        <location filename="../../app/ui/sidebar_model.py" line="69"/>
        <location filename="../../app/ui/sidebar_model.py" line="73"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="93"/>
        <source>Pinned</source>
        <translation>已置顶</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="93"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="94"/>
        <source>Yesterday</source>
        <translation>昨天</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="94"/>
        <source>Previous 7 days</source>
        <translation>过去 7 天</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="95"/>
        <source>Older</source>
        <translation>更早</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="95"/>
        <source>Archived</source>
        <translation>已归档</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_model.py" line="96"/>
        <source>No matches</source>
        <translation>没有匹配的结果</translation>
    </message>
</context>
<context>
    <name>DocumentDesk</name>
    <message>
        <location filename="../../app/ui/document_desk.py" line="39"/>
        <source>Attach documents</source>
        <translation>附加文档</translation>
    </message>
    <message>
        <location filename="../../app/ui/document_desk.py" line="40"/>
        <source>Documents (%1);;All files (*)</source>
        <translation>文档 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../app/ui/document_desk.py" line="48"/>
        <source>%1: DeskSeek reads PDF, Word (.docx), HTML, Markdown, text and source-code files.</source>
        <translation>%1：DeskSeek 可读取 PDF、Word (.docx)、HTML、Markdown、纯文本和源代码文件。</translation>
    </message>
</context>
<context>
    <name>DocumentStrip</name>
    <message>
        <location filename="../../app/ui/document_strip.py" line="41"/>
        <source>Reading %1…</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/document_strip.py" line="53"/>
        <source>1 page</source>
        <translation>1 页</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/document_strip.py" line="53"/>
        <source>%n pages</source>
        <translation>
            <numerusform>%n 页</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/document_strip.py" line="55"/>
        <source>1 passage</source>
        <translation>1 段</translation>
    </message>
    <message numerus="yes">
        <location filename="../../app/ui/document_strip.py" line="55"/>
        <source>%n passages</source>
        <translation>
            <numerusform>%n 段</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/document_strip.py" line="60"/>
        <source>Replies in this conversation quote this document and cite it as [1], [2]…</source>
        <translation>本对话中的回复会引用此文档，并以 [1]、[2]… 标注出处</translation>
    </message>
    <message>
        <location filename="../../app/ui/document_strip.py" line="65"/>
        <source>Remove %1 from this conversation</source>
        <translation>从本对话中移除 %1</translation>
    </message>
</context>
<context>
    <name>HelpMenu</name>
    <message>
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
</context>
<context>
    <name>HistoryFiles</name>
    <message>
        <location filename="../../app/ui/history_files.py" line="28"/>
        <source>Open a conversation first, then export it.</source>
        <translation>请先打开一个对话，再导出。</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="31"/>
        <source>Export conversation</source>
        <translation>导出对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="32"/>
        <source>Markdown (*.md);;DeskSeek JSON (*.json)</source>
        <translation>Markdown (*.md);;DeskSeek JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="38"/>
        <source>Export all conversations</source>
        <translation>导出全部对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="39"/>
        <source>DeskSeek JSON (*.json)</source>
        <translation>DeskSeek JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="45"/>
        <source>Import conversations</source>
        <translation>导入对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/history_files.py" line="46"/>
        <source>DeskSeek JSON or ChatGPT export (*.json *.zip);;All files (*)</source>
        <translation>DeskSeek JSON 或 ChatGPT 导出文件 (*.json *.zip);;所有文件 (*)</translation>
    </message>
    <message>
        <source>%1 (%2); %3.</source>
        <translation>%1（%2）；%3。</translation>
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
</context>
<context>
    <name>LanguageNotice</name>
    <message>
        <source>%1 understands English only: its replies to Chinese, Japanese or Korean will be gibberish. Your message was sent. For Chinese, open a bilingual model with File &gt; Open model… (a Qwen2.5 or DeepSeek-R1-Distill-Qwen GGUF, for example).</source>
        <translation>%1 只懂英语：它对中文、日文或韩文的回复会是乱码。你的消息已经发送。要用中文，请通过“文件 &gt; 打开模型…”打开一个双语模型（例如 Qwen2.5 或 DeepSeek-R1-Distill-Qwen 的 GGUF）。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../app/ui/main_window.py" line="110"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="112"/>
        <source>&amp;New chat</source>
        <translation>新对话(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="113"/>
        <source>&amp;Open model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="114"/>
        <source>Open model &amp;folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="115"/>
        <source>&amp;Connect to a server…</source>
        <translation>连接服务器(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="116"/>
        <source>Attach &amp;documents…</source>
        <translation>附加文档(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="117"/>
        <source>&amp;Export conversation…</source>
        <translation>导出对话(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="119"/>
        <source>Export &amp;all conversations…</source>
        <translation>导出全部对话(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="120"/>
        <source>&amp;Import conversations…</source>
        <translation>导入对话(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="122"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="144"/>
        <source>Open a Hugging Face model folder</source>
        <translation>打开 Hugging Face 模型文件夹</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="151"/>
        <source>Connect to a server</source>
        <translation>连接服务器</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="152"/>
        <source>Address of an OpenAI-compatible server (add #model to pick one of its models):</source>
        <translation>OpenAI 兼容服务器的地址（可加 #模型名 选择其中一个模型）：</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="158"/>
        <source>A server address starts with http:// or https://.</source>
        <translation>服务器地址须以 http:// 或 https:// 开头。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="198"/>
        <source>Still reading %1; your text is kept. Send it when the document is listed above the box.</source>
        <translation>仍在读取 %1；你的文字已保留。等文档出现在输入框上方后再发送。</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="121"/>
        <source>&amp;Settings…</source>
        <translation>设置(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="137"/>
        <source>Open a GGUF model</source>
        <translation>打开 GGUF 模型</translation>
    </message>
    <message>
        <location filename="../../app/ui/main_window.py" line="137"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>GGUF 模型 (*.gguf);;所有文件 (*)</translation>
    </message>
    <message>
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
</context>
<context>
    <name>MessageActions</name>
    <message>
        <location filename="../../app/ui/message_actions.py" line="29"/>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="29"/>
        <source>DeskSeek</source>
        <translation>DeskSeek</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="29"/>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="32"/>
        <source>Previous version</source>
        <translation>上一个版本</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="35"/>
        <source>Next version</source>
        <translation>下一个版本</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="42"/>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="42"/>
        <source>Copy this message</source>
        <translation>复制这条消息</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="44"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="44"/>
        <source>Edit and resend (keeps the old version)</source>
        <translation>编辑并重新发送（保留旧版本）</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="46"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="46"/>
        <source>Continue the reply where it was cut</source>
        <translation>从中断处继续回复</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="47"/>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="47"/>
        <source>Write a new version of this reply</source>
        <translation>为这条回复生成新版本</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="48"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_actions.py" line="48"/>
        <source>Delete this message and what followed it</source>
        <translation>删除这条消息及其后的内容</translation>
    </message>
    <message>
        <source>Copied</source>
        <translation>已复制</translation>
    </message>
</context>
<context>
    <name>MessageView</name>
    <message numerus="yes">
        <location filename="../../app/ui/message_view.py" line="126"/>
        <source>Reasoning · %n characters</source>
        <translation>
            <numerusform>推理过程 · %n 个字符</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../app/ui/message_view.py" line="150"/>
        <source>Sources: %1</source>
        <translation>出处：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_view.py" line="192"/>
        <source>Edit message</source>
        <translation>编辑消息</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_view.py" line="194"/>
        <source>Save and send</source>
        <translation>保存并发送</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_view.py" line="195"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/ui/message_view.py" line="228"/>
        <location filename="../../app/ui/message_view.py" line="231"/>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>ModelPanel</name>
    <message>
        <location filename="../../app/ui/model_panel.py" line="76"/>
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_panel.py" line="77"/>
        <source>first token %1 s</source>
        <translation>首个词元 %1 秒</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_panel.py" line="79"/>
        <source>context %1 / %2 tokens</source>
        <translation>上下文 %1 / %2 词元</translation>
    </message>
    <message numerus="yes">
        <source>%n older message(s) left out of the prompt to fit the context</source>
        <translation>
            <numerusform>为适应上下文长度，%n 条较早的消息未放入提示</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ModelSlot</name>
    <message>
        <location filename="../../app/ui/model_slot.py" line="37"/>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../../app/ui/model_slot.py" line="68"/>
        <source>%1 — still using %2.</source>
        <translation>%1 —— 仍在使用 %2。</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Close this message</source>
        <translation>关闭这条提示</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="43"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="48"/>
        <source>Instructions sent before every new conversation (optional)</source>
        <translation>每个新对话开始前发送的指令（可选）</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="49"/>
        <source>Save as preset…</source>
        <translation>另存为预设…</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="53"/>
        <source>Model default</source>
        <translation>模型默认值</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="54"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="56"/>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="56"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="57"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="63"/>
        <source>The model bar&apos;s explanations of how a model runs stay in English.</source>
        <translation>模型状态栏中关于模型运行方式的说明仍为英文。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="83"/>
        <location filename="../../app/ui/settings_dialog.py" line="98"/>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="83"/>
        <location filename="../../app/ui/settings_dialog.py" line="99"/>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="84"/>
        <location filename="../../app/ui/settings_dialog.py" line="160"/>
        <source>Save as preset</source>
        <translation>另存为预设</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="85"/>
        <location filename="../../app/ui/settings_dialog.py" line="100"/>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="85"/>
        <location filename="../../app/ui/settings_dialog.py" line="101"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="86"/>
        <location filename="../../app/ui/settings_dialog.py" line="102"/>
        <source>Maximum reply tokens</source>
        <translation>回复最大 token 数</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="87"/>
        <source>Context length</source>
        <translation>上下文长度</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="87"/>
        <location filename="../../app/ui/settings_dialog.py" line="106"/>
        <source>CPU threads</source>
        <translation>CPU 线程数</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="88"/>
        <location filename="../../app/ui/settings_dialog.py" line="113"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="88"/>
        <location filename="../../app/ui/settings_dialog.py" line="114"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="89"/>
        <location filename="../../app/ui/settings_dialog.py" line="115"/>
        <source>Font size</source>
        <translation>字号</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="105"/>
        <source>Context length (tokens)</source>
        <translation>上下文长度（token）</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="107"/>
        <source>These take effect the next time a model is loaded.</source>
        <translation>下次加载模型时生效。</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="118"/>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="119"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="120"/>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="143"/>
        <source>(custom)</source>
        <translation>（自定义）</translation>
    </message>
    <message>
        <location filename="../../app/ui/settings_dialog.py" line="160"/>
        <source>Preset name:</source>
        <translation>预设名称：</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
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
</context>
<context>
    <name>Startup</name>
    <message>
        <source>No model yet: choose a GGUF file with File &gt; Open model (Ctrl+O), or a Hugging Face folder with File &gt; Open model folder (Ctrl+Shift+O).</source>
        <translation>还没有模型：用“文件 &gt; 打开模型”（Ctrl+O）选择一个 GGUF 文件，或用“文件 &gt; 打开模型文件夹”（Ctrl+Shift+O）选择一个 Hugging Face 文件夹。</translation>
    </message>
    <message>
        <source>The model you used last, %1, is gone; using the embedded default.</source>
        <translation>你上次用的模型 %1 已不在；改用内置的默认模型。</translation>
    </message>
</context>
<context>
    <name>TurnStatus</name>
    <message>
        <location filename="../../app/ui/turn_status.py" line="11"/>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <location filename="../../app/ui/turn_status.py" line="14"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../app/ui/turn_status.py" line="16"/>
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
</context>
<context>
    <name>UndoBar</name>
    <message>
        <location filename="../../app/ui/sidebar_undo.py" line="45"/>
        <source>Deleted “%1”</source>
        <translation>已删除“%1”</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_undo.py" line="45"/>
        <source>New chat</source>
        <translation>新对话</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_undo.py" line="46"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../app/ui/sidebar_undo.py" line="47"/>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
</context>
</TS>
