# contextlib.contextmanager that swallows an exception.
# expect: same
# %%
import contextlib
@contextlib.contextmanager
def ignoring(kind):
    try:
        yield
    except kind:
        print("ignored", kind.__name__)
# %% [markdown]
# ## Use
# %%
with ignoring(ZeroDivisionError):
    1 / 0
print("continued")
