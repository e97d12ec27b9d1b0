"""/v1/completions continues raw text as it is (no chat template), with the official openai client
against DeskSeek's server running SmolLM2 on loopback, checked against llama.cpp itself."""
import json
import socket

import openai
import pytest

from app.api import start_server
from runtime.types import ChatMessage, GenerationOptions
from tests.api.conftest import N_CTX, TOKEN, request
from tests.fixtures.models.real import need_smollm2

CODE = "def fibonacci(n):\n    "
STORY = "Once upon a time, in a small village by the sea,"


@pytest.fixture(scope="module")
def plain(smol_queue):
    """A server without a repeat penalty, so that greedy decoding is llama.cpp's greedy decoding
    (llama-cpp-python penalises the prompt's tokens too, DeskSeek only the reply's)."""
    server = start_server(smol_queue, "127.0.0.1", 0, TOKEN, defaults=GenerationOptions(repeat_penalty=1.0))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def client(plain):
    return openai.OpenAI(base_url=plain.url, api_key=TOKEN, max_retries=0, timeout=60)


@pytest.fixture(scope="module")
def model(smol_queue):
    return smol_queue.info.name


@pytest.fixture(scope="module")
def llama(smol_queue):
    from llama_cpp import Llama

    # as the plan loads it for this machine (flash attention changes the sums, and so greedy picks)
    plan = smol_queue.info.plan
    llm = Llama(model_path=plan.model_path, n_ctx=plan.n_ctx, n_batch=plan.n_batch, n_threads=plan.n_threads,
                flash_attn=plan.flash_attn, verbose=False)
    yield llm
    llm.close()


@pytest.mark.parametrize("prompt", [CODE, STORY])
def test_greedy_raw_completion_is_llama_cpps_own(client, model, llama, prompt):
    own = llama.create_completion(prompt, max_tokens=20, temperature=0.0, repeat_penalty=1.0, seed=0)
    done = client.completions.create(model=model, prompt=prompt, max_tokens=20, temperature=0, seed=0)
    assert done.choices[0].text == own["choices"][0]["text"] and done.choices[0].text.strip()
    assert done.usage.prompt_tokens == own["usage"]["prompt_tokens"] == len(llama.tokenize(prompt.encode()))
    assert done.usage.completion_tokens == own["usage"]["completion_tokens"]
    assert done.choices[0].finish_reason == own["choices"][0]["finish_reason"]


def test_the_prompt_is_not_put_in_the_chat_template(client, model, smol_queue):
    """The prompt's count is its raw tokens (BOS as the model wants), not a templated message's."""
    done = client.completions.create(model=model, prompt=STORY, max_tokens=1, temperature=0)
    raw = smol_queue.call(lambda engine: engine.count_raw_tokens(STORY)).result(10)
    templated = smol_queue.call(lambda engine: engine.count_text_tokens(STORY)).result(10)
    assert done.usage.prompt_tokens == raw and raw <= templated + 1
    whole = smol_queue.call(lambda engine: engine.count_tokens([ChatMessage("user", STORY)])).result(10)
    assert raw < whole  # the template's own tokens (im_start, the role, the system prompt) are not there


def test_streamed_is_the_same_text_as_whole(client, model):
    whole = client.completions.create(model=model, prompt=CODE, max_tokens=24, temperature=0)
    chunks = list(client.completions.create(model=model, prompt=CODE, max_tokens=24, temperature=0, stream=True,
                                            stream_options={"include_usage": True}))
    text_chunks = [c for c in chunks if c.choices]
    assert all(c.object == "text_completion" and c.id == chunks[0].id for c in chunks)
    assert "".join(c.choices[0].text for c in text_chunks) == whole.choices[0].text
    assert text_chunks[-1].choices[0].finish_reason == whole.choices[0].finish_reason == "length"
    assert chunks[-1].usage.completion_tokens == whole.usage.completion_tokens == 24
    assert chunks[-1].usage.prompt_tokens == whole.usage.prompt_tokens


def test_a_stop_string_ends_the_completion_before_it(client, model):
    free = client.completions.create(model=model, prompt=STORY, max_tokens=40, temperature=0).choices[0].text
    words = free.split()
    assert len(words) > 4
    stop = " " + words[3]  # a word the model does write, with its space
    cut = client.completions.create(model=model, prompt=STORY, max_tokens=40, temperature=0, stop=[stop])
    assert cut.choices[0].finish_reason == "stop"
    assert cut.choices[0].text == free[:free.index(stop)]
    streamed = client.completions.create(model=model, prompt=STORY, max_tokens=40, temperature=0, stop=stop,
                                         stream=True)
    assert "".join(c.choices[0].text for c in streamed) == cut.choices[0].text


def test_echo_gives_the_prompt_back_first(client, model):
    plain = client.completions.create(model=model, prompt=STORY, max_tokens=8, temperature=0)
    echoed = client.completions.create(model=model, prompt=STORY, max_tokens=8, temperature=0, echo=True)
    assert echoed.choices[0].text == STORY + plain.choices[0].text
    streamed = list(client.completions.create(model=model, prompt=STORY, max_tokens=8, temperature=0, echo=True,
                                              stream=True))
    assert streamed[0].choices[0].text == STORY
    assert "".join(c.choices[0].text for c in streamed) == echoed.choices[0].text


def test_too_long_a_prompt_is_refused_not_cut(client, model):
    with pytest.raises(openai.BadRequestError) as err:
        client.completions.create(model=model, prompt="word " * 2000, max_tokens=8)
    assert err.value.code == "context_length_exceeded" and err.value.param == "prompt"
    assert f"maximum context length is {N_CTX} tokens" in err.value.message
    # fits alone, not with the reply's reserve (a quarter of the context): refused as well
    with pytest.raises(openai.BadRequestError) as err:
        client.completions.create(model=model, prompt="word " * 850, max_tokens=400)
    assert err.value.code == "context_length_exceeded"
    assert client.completions.create(model=model, prompt=STORY, max_tokens=2).choices  # still serving


@pytest.mark.parametrize("fields, param", [
    ({"prompt": ["one", "two"]}, "prompt"),
    ({"prompt": [1, 2, 3]}, "prompt"),
    ({"prompt": ""}, "prompt"),
    ({"prompt": CODE, "suffix": "\n    return a"}, "suffix"),
    ({"prompt": CODE, "logprobs": 2}, "logprobs"),
    ({"prompt": CODE, "echo": "yes"}, "echo"),
])
def test_what_is_not_supported_is_a_400_with_a_sentence(client, model, fields, param):
    extra = dict(fields)
    with pytest.raises(openai.BadRequestError) as err:
        client.completions.create(model=model, max_tokens=4, prompt=extra.pop("prompt"), extra_body=extra)
    assert err.value.param == param and err.value.body["message"].endswith(".")


def test_a_list_of_one_prompt_is_that_prompt(client, model):
    one = client.completions.create(model=model, prompt=[STORY], max_tokens=6, temperature=0)
    assert one.choices[0].text == client.completions.create(model=model, prompt=STORY, max_tokens=6,
                                                            temperature=0).choices[0].text


def test_a_hang_up_cancels_the_raw_completion(plain, smol_queue):
    body = json.dumps({"prompt": STORY, "max_tokens": 600, "temperature": 0.8, "stream": True}).encode()
    sock = socket.create_connection((plain.host, plain.port))
    sock.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: localhost\r\n"
                 b"Authorization: Bearer " + TOKEN.encode() + b"\r\nContent-Type: application/json\r\n"
                 b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    received = b""
    while received.count(b"data: ") < 4:
        more = sock.recv(65536)
        assert more, received
        received += more
    job = smol_queue.jobs[-1]
    assert job.prompt == STORY and not job.done
    produced = job._events.qsize()
    sock.close()
    done = job.wait(5)
    assert done is not None and done.reason == "cancelled" and done.completion_tokens < 600
    assert job._events.qsize() - produced <= 2, "more than the token in flight (and the Finished) after the hang-up"


def test_a_seed_makes_sampled_raw_text_reproducible(client, model):
    def sample(seed):
        return client.completions.create(model=model, prompt=STORY, max_tokens=16, temperature=1.0,
                                         seed=seed).choices[0].text

    first = sample(1234)
    assert sample(1234) == first
    assert len({first, sample(1), sample(2), sample(3)}) > 1  # sampling does vary with the seed


def test_an_engine_that_only_chats_refuses_raw_text_with_a_sentence(echo):
    _backend, queue, server = echo
    status, _, body = request(server, "POST", "/v1/completions", {"prompt": "def main():", "max_tokens": 4})
    assert status == 400 and body["error"]["param"] == "prompt"
    assert "not raw text" in body["error"]["message"]
    assert not [job for job in queue.jobs if job.prompt is not None]  # refused before it was queued
    status, _, _ = request(server, "POST", "/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]})
    assert status == 200  # still serving
