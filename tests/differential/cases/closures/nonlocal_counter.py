# A closure with `nonlocal` state called across sections.
# expect: same
# %%
def counter():
    n = 0
    def tick():
        nonlocal n
        n += 1
        return n
    return tick
tick = counter()
# %% [markdown]
# ## Tick
# %%
tick()
tick()
# %% [markdown]
# ## Last
# %%
print(tick())
