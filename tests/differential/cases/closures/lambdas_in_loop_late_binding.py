# Lambdas made in a loop all see the loop variable's last value.
# %%
makers = []
for i in range(3):
    makers.append(lambda: i)
# %% [markdown]
# ## Call them
# %%
print([make() for make in makers])
