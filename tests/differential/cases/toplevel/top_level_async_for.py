# Top-level `async for` over an async generator.
# %%
async def numbers():
    for v in range(3):
        yield v
# %%
collected = []
async for v in numbers():
    collected.append(v)
print(collected)
