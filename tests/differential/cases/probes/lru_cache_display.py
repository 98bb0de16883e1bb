# A lru_cache'd notebook function called in a display; later cache_info is printed.
# %%
import functools
@functools.lru_cache(maxsize=None)
def square(x):
    return x * x
# %%
square(3)
# %%
print(square.cache_info().currsize)
