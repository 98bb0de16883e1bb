# Threads increment a counter under a lock; joined before the result is read.
# Objects no run can compare (threads, locks, connections) are deleted at the end.
# %%
import threading
lock = threading.Lock()
counter = {"n": 0}
def work():
    for _ in range(1000):
        with lock:
            counter["n"] += 1
# %% [markdown]
# ## Run threads
# %%
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(counter["n"])
del threads, t, lock
