# A function increments a global through `global`; calls happen in a later section.
# %%
count = 0
def bump():
    global count
    count += 1
# %% [markdown]
# ## Bump twice
# %%
bump()
bump()
print(count)
# %% [markdown]
# ## After
# %%
print(count * 10)
