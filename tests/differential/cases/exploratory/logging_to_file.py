# logging.info writes to the log file configured earlier; a log line is an effect, not a display.
# Objects no run can compare (threads, locks, connections) are deleted at the end.
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
logger.removeHandler(handler)
del logger, handler
