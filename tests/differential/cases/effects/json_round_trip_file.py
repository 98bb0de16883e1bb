# Write JSON, read it back in a later section, print a field.
# expect: same
# %%
import json
config = {"epochs": 3, "name": "run"}
# %% [markdown]
# ## Save
# %%
with open("config.json", "w") as handle:
    json.dump(config, handle, indent=1)
# %% [markdown]
# ## Load
# %%
with open("config.json") as handle:
    loaded = json.load(handle)
print(loaded["epochs"])
