# thread.join() waits for a worker; removing it lets the next cell read an unfinished result.
# Objects no run can compare (threads, locks, connections) are deleted at the end.
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
del worker
