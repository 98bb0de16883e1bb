# os.environ set in one section and read by a subprocess in another.
# expect: same
# %%
import os
import subprocess
import sys
# %% [markdown]
# ## Configure
# %%
os.environ["PROBE_TOKEN"] = "abc"
# %% [markdown]
# ## Child process
# %%
out = subprocess.run([sys.executable, "-c", "import os; print(os.environ['PROBE_TOKEN'])"],
                     capture_output=True, text=True).stdout.strip()
print(out)
