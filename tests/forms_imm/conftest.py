import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_first():
    """Each test starts in English: a request to a /fr/ page leaves French active in the thread
    (LocaleMiddleware activates it), and ``reverse`` would then build /fr/ addresses."""
    translation.activate("en")
    yield
    translation.activate("en")
