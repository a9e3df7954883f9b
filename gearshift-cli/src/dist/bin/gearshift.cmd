@echo off
rem Runs the Gearshift CLI of this distribution (bin\ beside lib\) on Windows: no source tree, no build, no Maven.
rem The exit code is the CLI's. AppCDS archive per JDK in %LOCALAPPDATA% on JDK 19 and later (JDK 17 ignores it).
setlocal
set "java=java"
if defined JAVA_HOME set "java=%JAVA_HOME%\bin\java"
set "jdk=default"
if defined JAVA_HOME for %%j in ("%JAVA_HOME%") do set "jdk=%%~nxj"
if not exist "%LOCALAPPDATA%\gearshift" mkdir "%LOCALAPPDATA%\gearshift" 2>nul
"%java%" -XX:+IgnoreUnrecognizedVMOptions -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="%LOCALAPPDATA%\gearshift\%jdk%.jsa" -Xlog:cds=off,cds+dynamic=off -XX:+UseSerialGC -XX:TieredStopAtLevel=1 --enable-native-access=ALL-UNNAMED -cp "%~dp0..\lib\*" dev.gearshift.cli.Main %*
exit /b %ERRORLEVEL%
