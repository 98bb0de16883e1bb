# A function creates a new global with `global`; a later section reads it.
# %%
def setup():
    global settings
    settings = {"mode": "test"}
# %% [markdown]
# ## Setup
# %%
setup()
# %% [markdown]
# ## Read
# %%
print(settings["mode"])
