# `!{sys.executable} -c ...` runs Python through the shell with an expanded expression.
# %%
import sys
# %%
!{sys.executable} -c "print(6 * 7)" > answer.txt
# %%
print(open("answer.txt").read().strip())
