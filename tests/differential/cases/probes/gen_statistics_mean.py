# statistics.mean(iterator) shown consumes it.
# %%
import statistics
it = iter([1, 2, 3])
# %%
statistics.mean(it)
# %%
print(list(it))
