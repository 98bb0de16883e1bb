# threading.active_count() printed.
# %%
import threading
print(threading.active_count() == 1)
