# Lambdas capturing the loop variable through a default argument.
# expect: same
# %%
makers = [lambda i=i: i * 10 for i in range(3)]
# %% [markdown]
# ## Call them
# %%
print([make() for make in makers])
