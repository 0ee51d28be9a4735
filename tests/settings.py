"""The settings the test suite runs under: production's own (newsroom/settings.py, DEBUG off,
hashed static files), given a key of the suite's own, since with DEBUG off the settings refuse
to start on the public development key. The key goes into the environment, so the
subprocesses a test starts (manage.py, gunicorn) get it too."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "never-used-outside-the-test-suite-" * 2)

from newsroom.settings import *  # noqa: E402, F403

# WhiteNoise indexes STATIC_ROOT whenever a middleware chain is built, which the test client
# does for every test (a quarter of a second here); look files up per request instead.
# tests/newsroom/test_static_files.py serves them as production does, index included.
WHITENOISE_AUTOREFRESH = True
