# A decorator factory that wraps a function and counts calls.
# %%
import functools
def counted(label):
    def wrap(fn):
        @functools.wraps(fn)
        def inner(*args):
            inner.calls += 1
            return f"{label}:{fn(*args)}"
        inner.calls = 0
        return inner
    return wrap
# %% [markdown]
# ## Decorate
# %%
@counted("sq")
def square(v):
    return v * v
print(square(3), square(4), square.calls)
