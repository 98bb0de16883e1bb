# An upper-case constant computed with decimal after the context precision was changed.
# %%
import decimal
decimal.getcontext().prec = 3
# %%
THIRD = decimal.Decimal(1) / decimal.Decimal(3)
print(THIRD)
