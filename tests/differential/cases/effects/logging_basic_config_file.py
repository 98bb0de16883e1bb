# logging.basicConfig to a file; messages from two sections end in the file.
# expect: same
# %%
import logging
for old in logging.root.handlers[:]:
    logging.root.removeHandler(old)
logging.basicConfig(filename="app.log", level=logging.INFO, format="%(message)s", force=True)
# %% [markdown]
# ## Work
# %%
logging.info("step one")
# %% [markdown]
# ## More work
# %%
logging.warning("step two")
logging.shutdown()
