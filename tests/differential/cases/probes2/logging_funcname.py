# logging with %(funcName)s in the format: the caller's function name is printed.
# %%
import logging
import sys
logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(funcName)s: %(message)s", force=True)
# %% [markdown]
# ## Step
# %%
logging.info("step done")
