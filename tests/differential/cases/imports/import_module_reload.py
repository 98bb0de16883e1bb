# importlib.reload of a module a cell rewrites: the reloaded value is the new one.
# %%
import importlib
import sys
sys.path.insert(0, ".")
with open("settings_mod.py", "w") as handle:
    handle.write("VALUE = 1\n")
import settings_mod
print(settings_mod.VALUE)
# %%
with open("settings_mod.py", "w") as handle:
    handle.write("VALUE = 22\n")
importlib.invalidate_caches()
settings_mod = importlib.reload(settings_mod)
print(settings_mod.VALUE)
