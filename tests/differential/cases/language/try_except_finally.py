# try/except/else/finally with the order of prints observable.
# expect: same
# %%
def attempt(v):
    try:
        result = 10 / v
    except ZeroDivisionError:
        print("zero")
        result = None
    else:
        print("ok")
    finally:
        print("finally")
    return result
# %% [markdown]
# ## Attempts
# %%
outcomes = [attempt(2), attempt(0)]
print(outcomes)
