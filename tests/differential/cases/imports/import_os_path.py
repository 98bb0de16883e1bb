# `import os.path` without an alias binds `os`; the script needs that import.
# expect: same
# %%
import os.path
# %% [markdown]
# ## Paths
# %%
joined = os.path.join("data", "file.csv")
print(joined)
