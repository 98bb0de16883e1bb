# A class defined in one section, instantiated and mutated in the next.
# expect: same
# %%
class Account:
    def __init__(self, balance):
        self.balance = balance

    def deposit(self, amount):
        self.balance += amount
        return self
# %% [markdown]
# ## Use
# %%
account = Account(10).deposit(5)
# %% [markdown]
# ## Report
# %%
print(account.balance)
