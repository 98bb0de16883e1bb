import os

MODE = os.environ.get("PROBE_MODE", "slow")
