"""The official openai Python client against DeskSeek's server running SmolLM2 on loopback."""
import openai
import pytest

from runtime.types import ChatMessage
from tests.api.conftest import TOKEN

QUESTION = [{"role": "user", "content": "Name three colours."}]


@pytest.fixture(scope="module")
def client(smol):
    return openai.OpenAI(base_url=smol.url, api_key=TOKEN, max_retries=0, timeout=60)


@pytest.fixture(scope="module")
def model(smol_queue):
    return smol_queue.info.name


def test_lists_the_loaded_model(client, model):
    listed = client.models.list().data
    assert [m.id for m in listed] == [model]
    assert client.models.retrieve(model).id == model


def test_a_streamed_chat_is_the_same_reply_as_a_whole_one(client, model):
    whole = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=24, temperature=0)
    chunks = list(client.chat.completions.create(model=model, messages=QUESTION, max_tokens=24, temperature=0,
                                                 stream=True))
    assert chunks[0].choices[0].delta.role == "assistant"
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == whole.choices[0].message.content and streamed.strip()
    assert chunks[-1].choices[0].finish_reason == whole.choices[0].finish_reason
    assert all(c.id == chunks[0].id and c.object == "chat.completion.chunk" for c in chunks)
    assert whole.object == "chat.completion" and whole.model == model


def test_usage_is_counted_with_the_model_tokenizer(client, model, smol_queue):
    prompt_tokens = smol_queue.call(
        lambda engine: engine.count_tokens([ChatMessage("user", QUESTION[0]["content"])])).result(10)
    whole = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=5, temperature=0,
                                           stop=None)
    assert whole.usage.prompt_tokens == prompt_tokens
    assert whole.usage.completion_tokens == 5 and whole.choices[0].finish_reason == "length"
    assert whole.usage.total_tokens == prompt_tokens + 5
    chunks = list(client.chat.completions.create(model=model, messages=QUESTION, max_tokens=5, temperature=0,
                                                 stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.prompt_tokens == prompt_tokens
    assert chunks[-1].usage.completion_tokens == 5
    assert all(c.usage is None for c in chunks[:-1])
    plain = list(client.chat.completions.create(model=model, messages=QUESTION, max_tokens=3, temperature=0,
                                                stream=True))
    assert all(c.usage is None and c.choices for c in plain)


def test_a_stop_string_ends_the_reply_before_it(client, model):
    free = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=40, temperature=0)
    text = free.choices[0].message.content
    words = text.split()
    assert len(words) > 4, text
    stop = words[len(words) // 2]
    cut = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=40, temperature=0, stop=[stop])
    assert cut.choices[0].message.content == text[:text.index(stop)]
    assert cut.choices[0].finish_reason == "stop"
    streamed = client.chat.completions.create(model=model, messages=QUESTION, max_tokens=40, temperature=0,
                                              stop=stop, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in streamed) == text[:text.index(stop)]


def test_the_same_seed_gives_the_same_sampled_reply(client, model):
    def sample(seed):
        return client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Tell me a story."}],
                                              max_tokens=24, temperature=1.0, top_p=0.95, seed=seed
                                              ).choices[0].message.content

    first = sample(1234)
    assert sample(1234) == first
    assert len({first, sample(1), sample(2), sample(3)}) > 1  # sampling does vary with the seed


def test_the_legacy_completions_endpoint(client, model):
    done = client.completions.create(model=model, prompt="Name three colours.", max_tokens=6, temperature=0)
    assert done.object == "text_completion" and done.choices[0].text.strip()
    assert done.usage.completion_tokens == 6 and done.choices[0].finish_reason == "length"
    streamed = client.completions.create(model=model, prompt="Name three colours.", max_tokens=6, temperature=0,
                                         stream=True)
    assert "".join(c.choices[0].text for c in streamed) == done.choices[0].text


def test_openai_errors_reach_the_client_as_its_own_exceptions(client, model, smol):
    with pytest.raises(openai.AuthenticationError):
        openai.OpenAI(base_url=smol.url, api_key="wrong", max_retries=0).models.list()
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4o", messages=QUESTION)
    assert err.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model=model, messages=[{"role": "user", "content": "word " * 2000}])
    assert err.value.code == "context_length_exceeded"
    assert client.chat.completions.create(model=model, messages=QUESTION, max_tokens=2).choices  # still serving
