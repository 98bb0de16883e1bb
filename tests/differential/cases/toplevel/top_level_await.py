# Top-level `await` runs in the notebook's event loop: an async main() or a located refusal.
# %%
import asyncio
async def fetch(v):
    await asyncio.sleep(0)
    return v * 2
# %% [markdown]
# ## Await
# %%
result = await fetch(21)
print(result)
