"""WSGI entry point: `gunicorn -k gevent -w 1 wall.wsgi:app` (see docs/deploy.md).

The config comes from $SOCIALWALL_CONFIG (default: the embedded demo); every [server] key
can also come from its SOCIALWALL_* variable. Each worker process imports this module once
and starts its background tasks (sources unless SOCIALWALL_SOURCES=0, the stats loop) here,
so do not use gunicorn's --preload: tasks started before the fork would not run in workers.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys

from wall import create_app, logs
from wall.cli_deploy import default_config
from wall.config import ConfigError, load_config
from wall.lifecycle import shutdown
from wall.runtime import get_wall
from wall.web.health import SEPARATE_INGEST

log = logging.getLogger(__name__)
_path = default_config()
try:
    _config = load_config(_path)
except ConfigError as exc:
    # gunicorn shows this and stops the worker; the message lists every bad key.
    sys.stderr.write(f"socialwall: {exc}\n")
    raise SystemExit(3) from None
logs.setup(os.environ.get("SOCIALWALL_LOG_LEVEL", "INFO"), _config.server.log_format)
app = create_app(_config)
_sources = os.environ.get("SOCIALWALL_SOURCES", "1") != "0"
app.config[SEPARATE_INGEST] = not _sources  # /healthz then reads ingest's heartbeat
get_wall(app).start(sources=_sources)
# gunicorn ends a worker on SIGTERM by leaving its loop and exiting: close things then.
atexit.register(shutdown, app)
log.info("socialwall %s serving %s in process %s", _config.wall.title, _path, os.getpid())
