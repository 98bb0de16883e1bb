# os.environ is set before importing a module that reads it at import time.
# %%
import os
import sys
os.environ["PROBE_MODE"] = "fast"
sys.path.insert(0, "lib")
# %%
import modeconf
print(modeconf.MODE)
