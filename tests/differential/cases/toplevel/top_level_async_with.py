# Top-level `async with` on an async context manager.
# %%
import contextlib
@contextlib.asynccontextmanager
async def opened():
    yield "resource"
# %%
async with opened() as handle:
    print(handle)
