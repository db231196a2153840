console.log('dedicated says hi');
