# functools.partial binds an argument now; the global function it wraps is read at creation.
# %%
import functools
def power(base, exp):
    return base ** exp
square = functools.partial(power, exp=2)
# %% [markdown]
# ## Redefine
# %%
def power(base, exp):
    return -1
print(square(4), power(4, 2))
