# A recursive function with a memo dict at module level.
# The function reads a name main() binds: the name stays a module global, declared in main() (NB204).
# expect: kept
# %%
memo = {}
def fib(n):
    if n < 2:
        return n
    if n not in memo:
        memo[n] = fib(n - 1) + fib(n - 2)
    return memo[n]
# %% [markdown]
# ## Compute
# %%
print(fib(30), len(memo))
