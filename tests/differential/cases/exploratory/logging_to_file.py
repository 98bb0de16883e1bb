# logging.info writes to the log file configured earlier; a log line is an effect, not a display.
# expect: same
# %%
import logging
logger = logging.getLogger("probe")
logger.setLevel(logging.INFO)
handler = logging.FileHandler("run.log", mode="w")
handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
logger.addHandler(handler)
# %% [markdown]
# ## Work
# %%
total = sum(range(10))
logger.info("total is %d", total)
# %%
handler.close()
