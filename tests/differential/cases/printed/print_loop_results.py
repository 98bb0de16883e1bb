# A loop prints one result line per item.
# expect: same
# %%
prices = {"apple": 1.25, "pear": 0.8}
# %% [markdown]
# ## Price list
# %%
for name, price in sorted(prices.items()):
    print(f"{name:>6}: {price:.2f}")
