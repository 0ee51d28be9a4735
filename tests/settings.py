"""The settings the test suite runs under: production's own (newsroom/settings.py, DEBUG off,
hashed static files), given a key of the suite's own, since with DEBUG off the settings refuse
to start on the public development key. The key goes into the environment, so the
subprocesses a test starts (manage.py, gunicorn) get it too."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-key-" + "never-used-outside-the-test-suite-" * 2)

from newsroom.settings import *  # noqa: E402, F403
