# An object with __del__ that prints: section locals die when the section function returns.
# %%
class Noisy:
    def __del__(self):
        print("finalized")
# %% [markdown]
# ## Make
# %%
temp = Noisy()
# %% [markdown]
# ## After
# %%
print("after")
