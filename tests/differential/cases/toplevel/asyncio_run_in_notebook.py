# asyncio.run inside a running notebook loop fails in the notebook; the script must fail too.
# notebook: fails
# %%
import asyncio
async def job():
    return 1
print("start")
# %%
outcome = asyncio.run(job())
print(outcome)
