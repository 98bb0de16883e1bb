# `%time` around an assignment: the assignment happens; the timing line is printed output.
# %%
%time total = sum(range(100))
# %%
print(total)
