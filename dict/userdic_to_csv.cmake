# Converts dict/userdic.tsv (surface<TAB>reading) into the CSV that
# mecab-dict-index compiles: every term a common noun (名詞,一般, ipadic
# context id 1285) with a low cost, so MeCab keeps it whole.
# With -DNAMES=name_readings.tsv ("family given<TAB>ファミリー ギブン"), each
# person's family name (名詞,固有名詞,人名,姓) and given name (…,名) with its
# reading, so a name written with or without the space is read as its two
# words; a one-character given name would take over that character
# elsewhere, so its person gets the full name (…,一般) instead. MeCab
# misreads many given names, and name search by kana or romaji goes by the
# reading.
#   cmake -DIN=userdic.tsv [-DNAMES=name_readings.tsv] -DOUT=userdic.csv -P userdic_to_csv.cmake
file(STRINGS "${IN}" lines ENCODING UTF-8)
set(csv "")
set(number 0)
foreach(line IN LISTS lines)
  math(EXPR number "${number} + 1")
  if(line STREQUAL "" OR line MATCHES "^#")
    continue()
  endif()
  string(REPLACE "\t" ";" fields "${line}")
  list(LENGTH fields count)
  list(GET fields 0 surface)
  set(reading "*")
  if(count GREATER 1)
    list(GET fields 1 reading)
  endif()
  # The analyzer segments case-folded text, so the surface must be too.
  string(TOLOWER "${surface}" surface)
  if(surface MATCHES "[, ]" OR reading MATCHES "[, ]")
    message(FATAL_ERROR "${IN}:${number}: a term or reading may not contain a comma or space")
  endif()
  string(APPEND csv "${surface},1285,1285,3000,名詞,一般,*,*,*,*,${surface},${reading},${reading}\n")
endforeach()
if(DEFINED NAMES)
  file(STRINGS "${NAMES}" lines ENCODING UTF-8)
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(line STREQUAL "" OR line MATCHES "^#")
      continue()
    endif()
    if(NOT line MATCHES "^([^ \t,]+) ([^ \t,]+)\t([^ \t,]+) ([^ \t,]+)(\t\\?)?$")
      message(FATAL_ERROR "${NAMES}:${number}: expected 'family given<TAB>FAMILY GIVEN' in katakana")
    endif()
    set(family "${CMAKE_MATCH_1}")
    set(given "${CMAKE_MATCH_2}")
    set(family_reading "${CMAKE_MATCH_3}")
    set(given_reading "${CMAKE_MATCH_4}")
    string(APPEND csv "${family},1290,1290,5000,名詞,固有名詞,人名,姓,*,*,${family},${family_reading},${family_reading}\n")
    string(LENGTH "${given}" given_bytes)
    if(given_bytes GREATER 3)
      string(APPEND csv "${given},1291,1291,5000,名詞,固有名詞,人名,名,*,*,${given},${given_reading},${given_reading}\n")
    else()
      string(APPEND csv "${family}${given},1289,1289,3000,名詞,固有名詞,人名,一般,*,*,${family}${given},${family_reading}${given_reading},${family_reading}${given_reading}\n")
    endif()
  endforeach()
endif()
file(WRITE "${OUT}" "${csv}")
