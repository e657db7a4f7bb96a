"""Run the wall, same as `socialwall run`: `python app.py [--config FILE] [--port P]`."""

import sys

from wall.cli import main

if __name__ == "__main__":
    sys.exit(main(["run", *sys.argv[1:]]))
