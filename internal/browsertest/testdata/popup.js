console.error('popup says hi');
