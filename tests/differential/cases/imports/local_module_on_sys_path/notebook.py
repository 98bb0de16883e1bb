# sys.path.append("lib") must run before `import helpers`, a module in the case folder's lib/.
# %%
import sys
sys.path.append("lib")
# %%
import helpers
# %% [markdown]
# ## Use the helper
# %%
print(helpers.double(21))
