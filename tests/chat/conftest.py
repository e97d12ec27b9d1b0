import pytest

from app.chat.service import TurnService
from app.store import open_store
from runtime.engine import Engine
from runtime.loading import plans_for
from runtime.planner import PlanPreferences
from tests.fixtures.models.real import need_smollm2


@pytest.fixture(scope="module")
def engine():
    """The real llama.cpp engine with the embedded SmolLM2, loaded as the window loads it."""
    engine = Engine()
    engine.load(plans_for(str(need_smollm2()), PlanPreferences(n_ctx=2048)))
    yield engine
    engine.unload()


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path / "deskseek.sqlite3") as store:
        yield store


@pytest.fixture
def told():
    """The sentences a service tells without stopping a turn."""
    return []


@pytest.fixture
def service(store, engine, told):
    return TurnService(store, lambda: engine.info, on_error=told.append)
