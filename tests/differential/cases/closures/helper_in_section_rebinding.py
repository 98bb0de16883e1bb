# A helper is called inside a section that rebinds the global it reads, between two calls.
# %%
def current_rate():
    return rate
# %% [markdown]
# ## Rates
# %%
rate = 0.1
r1 = current_rate()
rate = 0.2
r2 = current_rate()
print(r1, r2)
