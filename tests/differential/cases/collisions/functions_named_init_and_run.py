# A training notebook that defines functions named init() and run().
# expect: same
# %%
def init():
    return {"w": 0}
def run(state, step):
    state["w"] += step
    return state
# %% [markdown]
# ## Train
# %%
state = init()
for step in [1, 2, 3]:
    state = run(state, step)
print(state)
