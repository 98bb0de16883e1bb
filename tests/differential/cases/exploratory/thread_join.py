# thread.join() waits for a worker; removing it lets the next cell read an unfinished result.
# expect: same
# %%
import threading
results = []
def work():
    for n in range(5):
        results.append(n * n)
worker = threading.Thread(target=work)
worker.start()
# %%
worker.join()
# %%
print(sum(results))
