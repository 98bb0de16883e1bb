# atexit.register(print, ...): the notebook's kernel is never asked to exit in the run.
# %%
import atexit
atexit.register(print, "bye")
# %%
print("done")
