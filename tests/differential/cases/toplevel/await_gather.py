# asyncio.gather awaited at top level.
# %%
import asyncio
async def square(v):
    return v * v
# %%
squares = await asyncio.gather(*(square(v) for v in range(3)))
print(squares)
